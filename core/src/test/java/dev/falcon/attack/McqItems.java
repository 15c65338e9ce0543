package dev.falcon.attack;

import dev.falcon.data.McqDataset;
import dev.falcon.data.McqItem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small in-memory multiple-choice sets for the attack tests. */
final class McqItems {

    private McqItems() {
    }

    /** Questions "q{from}" ... with four one-letter choices; question i's answer is answers[i - from]. */
    static McqDataset of(String task, int from, int... answers) {
        List<McqItem> items = new ArrayList<>();
        for (int i = 0; i < answers.length; i++) {
            items.add(new McqItem(i, "q" + (from + i) + "?", List.of("x" + i, "y", "z" + i, "w"), answers[i], "toy",
                    Path.of(task + ".jsonl"), i + 1));
        }
        return new McqDataset(task, items, List.of());
    }
}
