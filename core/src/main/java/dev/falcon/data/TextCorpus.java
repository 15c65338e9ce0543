package dev.falcon.data;

import dev.falcon.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the documents to unlearn or to retain: {@code .txt} (one document per line, blank lines
 * skipped), {@code .jsonl} and {@code .json} (objects with {@code "text"}, or with
 * {@code "question"} and {@code "answer"}; a .json file may be one array or JSON lines).
 */
public final class TextCorpus {

    private TextCorpus() {
    }

    /** All documents of the file, in file order; never empty. */
    public static List<Document> read(Path file) {
        List<Document> documents = switch (DataFiles.extension(file)) {
            case "txt" -> readText(file);
            case "jsonl", "json" -> readJson(file);
            default -> throw new InputException(file, "unsupported file type (expected .txt, .jsonl or .json)");
        };
        if (documents.isEmpty()) {
            throw new InputException(file, "no documents");
        }
        return documents;
    }

    /** The whole file as one text, for scoring as one document (rolling perplexity); never empty. */
    public static String readWhole(Path file) {
        String text = DataFiles.readUtf8(file);
        if (text.isEmpty()) {
            throw new InputException(file, "empty file");
        }
        return text;
    }

    private static List<Document> readText(Path file) {
        List<Document> documents = new ArrayList<>();
        for (String line : DataFiles.lines(DataFiles.readUtf8(file))) {
            if (!line.isBlank()) {
                documents.add(Document.plain(line));
            }
        }
        return documents;
    }

    private static List<Document> readJson(Path file) {
        List<Document> documents = new ArrayList<>();
        for (JsonRecord record : JsonRecords.read(file)) {
            documents.add(toDocument(file, record));
        }
        return documents;
    }

    private static Document toDocument(Path file, JsonRecord record) {
        String text = record.text("text");
        String question = record.text("question");
        String answer = record.text("answer");
        if (text != null && !text.isBlank()) {
            return Document.plain(text);
        }
        if (question != null && answer != null && !question.isBlank() && !answer.isBlank()) {
            return Document.questionAnswer(question, answer);
        }
        throw new InputException(file, "line " + record.line()
                + ": expected a non-empty string \"text\", or non-empty strings \"question\" and \"answer\"");
    }
}
