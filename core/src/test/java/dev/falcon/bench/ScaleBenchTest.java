package dev.falcon.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole bench on a tiny shape: checkpoint, then unlearn, eval and generate, each in a child JVM. */
class ScaleBenchTest {

    private static final Pattern SUMMARY = Pattern.compile("shape=tiny unlearn_peak_mib=(\\d+) eval_peak_mib=(\\d+) "
            + "generate_peak_mib=(\\d+) eval_efficiency=([0-9.]+) step_s=([0-9.]+)");

    @TempDir
    Path root;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runsEveryTaskInItsOwnJvmAndReportsItsPeak() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ScaleShape tiny = TinyScaleShape.create();
        ScaleResult r = ScaleBench.run(tiny, root, null, 0, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(r.allSucceeded(), log);
        Matcher m = SUMMARY.matcher(r.summaryLine());
        assertTrue(m.matches(), r.summaryLine());
        for (int g = 1; g <= 3; g++) {
            // a JVM with libtorch loaded is never below 100 MiB resident
            assertTrue(Integer.parseInt(m.group(g)) > 100, r.summaryLine());
        }
        assertEquals(tiny.workload().unlearnSteps(), r.unlearn().count(), log);
        assertEquals(tiny.workload().questions(), r.eval().count(), log);
        assertTrue(r.stepSeconds() > 0 && r.stepSeconds() < r.unlearn().wallSeconds(), log);
        assertTrue(r.evalEfficiency() > 0, log);
        // the tiny prompts: 150-300 tokens each under the word-level tokenizer
        long perQuestion = r.promptTokens() / tiny.workload().questions();
        assertTrue(perQuestion >= ScaleTexts.MIN_PROMPT_TOKENS && perQuestion <= ScaleTexts.MAX_PROMPT_TOKENS, log);
        assertTrue(log.contains("unlearn: falcon unlearn --model " + root.resolve("tiny")), log);
        try (Stream<Path> left = Files.list(root)) {
            assertEquals(1, left.count(), "only the cached checkpoint stays: the run's work folder is deleted");
        }
    }
}
