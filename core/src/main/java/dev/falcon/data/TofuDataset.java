package dev.falcon.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * TOFU question files (forget01.json, retain_perturbed.json, world_facts_perturbed.json, ...):
 * a JSON array or JSON lines of objects with {@code question}, {@code answer} and optionally
 * {@code paraphrased_answer} and a {@code perturbed_answer} list. Any malformed record fails the
 * read, since every TOFU score is a mean over the whole set.
 */
public final class TofuDataset {

    private TofuDataset() {
    }

    public static List<TofuItem> read(Path file) {
        List<TofuItem> items = new ArrayList<>();
        for (JsonRecord record : JsonRecords.read(file)) {
            items.add(toItem(file, record));
        }
        if (items.isEmpty()) {
            throw new InputException(file, "no questions");
        }
        return items;
    }

    private static TofuItem toItem(Path file, JsonRecord record) {
        String question = record.text("question");
        String answer = record.text("answer");
        if (question == null || answer == null) {
            throw new InputException(file, "line " + record.line() + ": \"question\" and \"answer\" must be strings");
        }
        String paraphrased = record.text("paraphrased_answer");
        if (paraphrased == null && record.has("paraphrased_answer")) {
            throw new InputException(file, "line " + record.line() + ": \"paraphrased_answer\" must be a string");
        }
        return new TofuItem(question, answer, paraphrased, perturbed(file, record), file, record.line());
    }

    private static List<String> perturbed(Path file, JsonRecord record) {
        JsonNode list = record.node().get("perturbed_answer");
        List<String> answers = new ArrayList<>();
        if (list == null || list.isNull()) {
            return answers;
        }
        if (!list.isArray()) {
            throw new InputException(file, "line " + record.line() + ": \"perturbed_answer\" must be a list of strings");
        }
        for (JsonNode element : list) {
            if (!element.isTextual()) {
                throw new InputException(file, "line " + record.line() + ": \"perturbed_answer\" must be a list of strings");
            }
            answers.add(element.asText());
        }
        return answers;
    }
}
