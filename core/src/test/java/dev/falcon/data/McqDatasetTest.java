package dev.falcon.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.InputException;
import dev.falcon.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McqDatasetTest {

    @TempDir
    Path dir;

    @Test
    void mmluDevFolderHas57SubjectsOfFiveQuestions() {
        McqDataset dev = McqDataset.read(SharedData.data().resolve("mmlu/dev"));
        assertEquals("dev", dev.task());
        assertEquals(285, dev.items().size());
        assertTrue(dev.problems().isEmpty(), dev.problems().toString());
        Map<String, Long> perSubject = dev.items().stream()
                .collect(Collectors.groupingBy(McqItem::subject, Collectors.counting()));
        assertEquals(57, perSubject.size());
        assertTrue(perSubject.values().stream().allMatch(n -> n == 5));
        assertTrue(dev.items().stream().allMatch(i -> i.choices().size() == 4));
        assertEquals(284, dev.items().get(284).index());
    }

    @Test
    void csvQuotedFieldsSpanLinesAndItemsKeepTheirStartLine() {
        McqDataset dev = McqDataset.read(SharedData.data().resolve("mmlu/dev"));
        List<McqItem> ccs = dev.items().stream().filter(i -> i.subject().equals("college_computer_science")).toList();
        // Python's csv module: the five records start on lines 2, 3, 7, 11, 14 (records 2-4 hold newlines).
        assertEquals(List.of(2, 3, 7, 11, 14), ccs.stream().map(McqItem::line).toList());
        assertTrue(ccs.get(1).question().startsWith("A certain pipelined RISC machine has 8 general-purpose regis"));
        assertTrue(ccs.get(1).question().contains("\n"));
        assertEquals(1, ccs.get(1).answer());
    }

    @Test
    void malformedJsonRowsAreSkippedWithTheirLines() throws IOException {
        Path file = Files.writeString(dir.resolve("mixed.jsonl"), String.join("\n",
                "{\"question\": \"ok?\", \"choices\": [\"a\", \"b\", \"c\", \"d\"], \"answer\": 2, \"subject\": \"x_y\"}",
                "{\"question\": \"no choices\", \"answer\": 0}",
                "{\"question\": \"one\", \"choices\": [\"a\"], \"answer\": 0}",
                "{\"question\": \"range\", \"choices\": [\"a\", \"b\"], \"answer\": 2}",
                "{\"question\": \"text\", \"choices\": [\"a\", \"b\"], \"answer\": \"B\"}",
                "{\"question\": \"float\", \"choices\": [\"a\", \"b\"], \"answer\": 1.5}",
                "{\"question\": \"  \", \"choices\": [\"a\", \"b\"], \"answer\": 0}",
                "{\"question\": \"types\", \"choices\": [1, 2], \"answer\": 0}",
                "{\"question\": \"no answer\", \"choices\": [\"a\", \"b\"]}",
                "{\"question\": \"last ok\", \"choices\": [\"a\", \"b\"], \"answer\": \"1\"}"));
        McqDataset set = McqDataset.read(file);
        assertEquals(List.of("ok?", "last ok"), set.items().stream().map(McqItem::question).toList());
        assertEquals(List.of(0, 1), set.items().stream().map(McqItem::index).toList());
        assertEquals(List.of(1, 10), set.items().stream().map(McqItem::line).toList());
        assertEquals("mixed", set.items().get(1).subject()); // no subject field: the task name
        assertEquals(List.of(
                "line 2: missing choices",
                "line 3: too few choices (1)",
                "line 4: answer 2 is out of range 0..1",
                "line 5: answer is not an integer: B",
                "line 6: answer is not an integer: 1.5",
                "line 7: empty question",
                "line 8: choices must be an array of strings",
                "line 9: missing answer"),
                set.problems().stream().map(p -> "line " + p.line() + ": " + p.message()).toList());
        assertEquals(file, set.problems().get(0).file());
    }

    @Test
    void csvFolderWithQuotesCommasAndBadRows() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("mytask"));
        Files.writeString(folder.resolve("world_history_test.csv"), String.join("\n",
                "question,choice0,choice1,choice2,choice3,answer",
                "\"He said \"\"hi\"\", then\nleft.\",\"a, b\",c,d,e,3",
                "too few fields,a,b,c,1",
                "out of range,a,b,c,d,4",
                "",
                "last,a,b,c,d,0",
                ""));
        Files.writeString(folder.resolve("notes.txt"), "ignored: not a .csv file");
        McqDataset set = McqDataset.read(folder);
        assertEquals("mytask", set.task());
        assertEquals(2, set.items().size(), set.problems().toString());
        McqItem quoted = set.items().get(0);
        assertEquals("He said \"hi\", then\nleft.", quoted.question());
        assertEquals(List.of("a, b", "c", "d", "e"), quoted.choices());
        assertEquals(3, quoted.answer());
        assertEquals("world_history", quoted.subject());
        assertEquals(2, quoted.line());
        assertEquals(7, set.items().get(1).line());
        assertEquals(List.of("line 4: 5 fields where the header has 6", "line 5: answer 4 is out of range 0..3"),
                set.problems().stream().map(p -> "line " + p.line() + ": " + p.message()).toList());
    }

    @Test
    void csvWithoutTheMmluHeaderIsAnInputError() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.csv"), "q,a,b\nx,y,z\n");
        InputException e = assertThrows(InputException.class, () -> McqDataset.read(file));
        assertEquals(file + ": line 1: the CSV header must name question, choice0.. and answer columns", e.getMessage());
    }

    @Test
    void fileWithNoUsableRowIsAnInputError() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), "{\"question\": \"q\", \"choices\": [\"a\"], \"answer\": 0}\n");
        InputException e = assertThrows(InputException.class, () -> McqDataset.read(file));
        assertEquals(file + ": no usable questions (first problem: " + file + ": line 1: too few choices (1))",
                e.getMessage());
    }

    @Test
    void folderWithoutCsvFilesIsAnInputError() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("empty"));
        assertEquals(folder + ": no .csv files in this folder",
                assertThrows(InputException.class, () -> McqDataset.read(folder)).getMessage());
    }

    @Test
    void wmdpTasksGetLmEvalSubjects() {
        // lm-eval wmdp_bio.yaml / wmdp_cyber.yaml / wmdp_chem.yaml descriptions.
        assertEquals("biology", McqDataset.defaultSubject("wmdp_bio"));
        assertEquals("cybersecurity", McqDataset.defaultSubject("wmdp-cyber"));
        assertEquals("chemistry", McqDataset.defaultSubject("WMDP_chem"));
        assertEquals("bio", McqDataset.defaultSubject("bio"));
        assertEquals("wmdp_other", McqDataset.defaultSubject("wmdp_other"));
    }
}
