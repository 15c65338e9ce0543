package dev.falcon.cli;

import dev.falcon.data.Document;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.layers.LayerSelectionResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Mutual-information layer selection (method.md section 1). */
@Command(name = "layers", mixinStandardHelpOptions = true,
        description = "Pick the layer to edit: the one whose forget and retain activations share least information.")
final class LayersCommand implements Runnable {

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    LayerSelectionOptions selection;

    @Option(names = "--forget", required = true, split = ",", description = "Forget file(s), one topic each.")
    List<Path> forget;

    @Option(names = "--retain", required = true, description = "Retain file.")
    Path retain;

    @Option(names = "--out", required = true, description = "Folder for layers.json and layers.png.")
    Path out;

    @Override
    public void run() {
        try (WeightSource source = modelOptions.openWeights(); Tokenizer tok = modelOptions.openTokenizer()) {
            List<List<Document>> forgetDocs = InputFiles.read(forget);
            List<Document> retainDocs = InputFiles.read(List.of(retain)).get(0);
            LayerSelectionResult result = selection.select(modelOptions.load(source), tok, forgetDocs, retainDocs);
            Files.createDirectories(out);
            selection.writeReport(result, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
