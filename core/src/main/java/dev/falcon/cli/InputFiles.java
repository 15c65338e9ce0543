package dev.falcon.cli;

import dev.falcon.data.Document;
import dev.falcon.data.TextCorpus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads forget/retain files: one list of documents per file. */
final class InputFiles {

    private InputFiles() {
    }

    static List<List<Document>> read(List<Path> files) {
        List<List<Document>> out = new ArrayList<>();
        for (Path f : files) {
            out.add(TextCorpus.read(f));
        }
        return out;
    }
}
