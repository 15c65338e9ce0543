package dev.falcon.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class McqDatasetFixtureTest {

    @Test
    void jsonlFixtureReadsEveryLineAndEachMatchesACsvRow() throws IOException {
        Path file = SharedData.fixtures().resolve("mcq/mmlu_dev.jsonl");
        McqDataset jsonl = McqDataset.read(file);
        assertEquals("mmlu_dev", jsonl.task());
        long lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
        assertEquals(lines, jsonl.items().size(), "one item per line, every line well formed");
        assertTrue(jsonl.problems().isEmpty(), jsonl.problems().toString());
        // The fixture was cut from the same MMLU dev split: each of its rows is one of the CSV rows.
        Set<List<Object>> csvRows = McqDataset.read(SharedData.data().resolve("mmlu/dev")).items().stream()
                .map(McqDatasetFixtureTest::content).collect(Collectors.toSet());
        assertTrue(jsonl.items().stream().allMatch(i -> csvRows.contains(content(i))));
    }

    private static List<Object> content(McqItem item) {
        return List.of(item.question(), item.choices(), item.answer(), item.subject());
    }
}
