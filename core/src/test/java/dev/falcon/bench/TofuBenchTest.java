package dev.falcon.bench;

import dev.falcon.InputException;
import dev.falcon.cli.Main;
import dev.falcon.eval.TofuResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's building blocks that need no training: the table, the phase timings, the input checks. */
class TofuBenchTest {

    private static TofuResult.Sample sample(double rougeL) {
        return new TofuResult.Sample("q", 0.5, 0.8, "a", rougeL);
    }

    @Test
    void tableShowsEachRowsScoresToThreeSignificantDigits() {
        TofuResult forget = new TofuResult("forget01", TofuResult.Kind.FORGET, List.of(sample(0.5), sample(1.0)));
        TofuResult retain = new TofuResult("retain_perturbed", TofuResult.Kind.RETAIN, List.of(sample(0.25)));
        String table = TofuTable.format(List.of(new TofuRow("falcon", 1.2345e-7, 0.4567, List.of(retain, forget)),
                new TofuRow("ga", 0.99, Double.NaN, List.of(forget))));
        // forget ROUGE-L is the forget set's mean, (0.5 + 1.0) / 2, whatever the order of the sets
        assertEquals("""
                | method | forget quality | model utility | forget ROUGE-L |
                |---|---|---|---|
                | falcon | 1.23e-07 | 0.457 | 0.750 |
                | ga | 0.990 | n/a | 0.750 |
                """, table);
    }

    @Test
    void phaseTimesKeepOrderAndAddUpRepeatedPhases() throws Exception {
        PhaseTimes t = new PhaseTimes();
        assertEquals(7, t.time("b", () -> 7));
        t.time("a", () -> sleep(20));
        t.time("b", () -> sleep(20));
        assertEquals(List.of("b", "a"), List.copyOf(t.all().keySet()));
        assertTrue(t.seconds("b") >= 0.02 && t.seconds("a") >= 0.02, t.all().toString());
        assertEquals(t.seconds("a") + t.seconds("b"), t.total(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> t.seconds("c"));
    }

    @Test
    void missingTofuFileNamesTheFile(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("tofu"));
        TofuBench bench = new TofuBench(TofuBenchConfig.defaults(dir), null, System.out);
        InputException e = assertThrows(InputException.class, bench::run);
        assertTrue(e.getMessage().startsWith(dir.resolve("tofu").resolve("forget01.json") + ": not found"),
                e.getMessage());
    }

    @Test
    void missingDataFolderIsAnInputError(@TempDir Path dir) {
        assertEquals(2, Main.run("bench", "tofu", "--data", dir.resolve("absent").toString()));
    }

    private static Object sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
