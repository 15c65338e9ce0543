package dev.falcon.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A multiple-choice task read from JSON lines in the cais/mmlu and cais/wmdp layout
 * ({@code question}, {@code choices}, {@code answer} index, optional {@code subject}), from one
 * MMLU CSV file, or from a folder of them. Malformed rows are skipped and listed in
 * {@code problems}. The task name is the file stem, or the folder name.
 */
public record McqDataset(String task, List<McqItem> items, List<Problem> problems) {

    /** lm-eval's WMDP task descriptions name these subjects (wmdp_bio.yaml etc.). */
    private static final Map<String, String> WMDP_SUBJECTS = Map.of(
            "bio", "biology", "cyber", "cybersecurity", "chem", "chemistry");

    public McqDataset {
        items = List.copyOf(items);
        problems = List.copyOf(problems);
    }

    /** Reads a task; fails when nothing usable is left. */
    public static McqDataset read(Path input) {
        McqCollector out = new McqCollector();
        String task;
        if (Files.isDirectory(input)) {
            task = input.getFileName().toString();
            for (Path csv : csvFiles(input)) {
                MmluCsv.read(csv, out);
            }
        } else {
            task = DataFiles.stem(input);
            switch (DataFiles.extension(input)) {
                case "csv" -> MmluCsv.read(input, out);
                case "jsonl", "json" -> readJson(input, defaultSubject(task), out);
                default -> throw new InputException(input, "unsupported file type (expected .jsonl, .json, .csv or a folder of .csv)");
            }
        }
        if (out.items.isEmpty()) {
            String first = out.problems.isEmpty() ? "" : " (first problem: " + out.problems.get(0) + ")";
            throw new InputException(input, "no usable questions" + first);
        }
        return new McqDataset(task, out.items, out.problems);
    }

    /**
     * The subject a JSON task uses when a row has none: lm-eval's wording for the WMDP tasks
     * (wmdp_bio, wmdp-cyber, ...), else the task name itself.
     */
    static String defaultSubject(String task) {
        String name = task.toLowerCase(Locale.ROOT);
        return name.matches("wmdp[-_](bio|cyber|chem)") ? WMDP_SUBJECTS.get(name.substring(5)) : task;
    }

    private static List<Path> csvFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> csv = files.filter(f -> DataFiles.extension(f).equals("csv")).sorted().toList();
            if (csv.isEmpty()) {
                throw new InputException(folder, "no .csv files in this folder");
            }
            return csv;
        } catch (IOException e) {
            throw new InputException(folder, "cannot list: " + e.getMessage(), e);
        }
    }

    private static void readJson(Path file, String defaultSubject, McqCollector out) {
        for (JsonRecord record : JsonRecords.read(file)) {
            JsonNode choices = record.node().get("choices");
            if (choices != null && !isStringArray(choices)) {
                out.problem(file, record.line(), "choices must be an array of strings");
                continue;
            }
            String subject = record.text("subject");
            out.add(file, record.line(), record.text("question"), choices == null ? null : strings(choices),
                    rawAnswer(record.node().get("answer")), subject == null ? defaultSubject : subject);
        }
    }

    private static boolean isStringArray(JsonNode node) {
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(element -> out.add(element.asText()));
        return out;
    }

    /** The answer as text, so JSON and CSV answers go through one integer check. */
    private static String rawAnswer(JsonNode answer) {
        if (answer == null || answer.isNull()) {
            return null;
        }
        return answer.isValueNode() ? answer.asText() : answer.toString();
    }
}
