package dev.falcon.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.demo.world.FactWorld;
import dev.falcon.data.McqForm;
import dev.falcon.demo.world.WorldSettings;
import dev.falcon.eval.Accuracy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSeedsTest {

    private static final FactWorld WORLD = FactWorld.generate(new WorldSettings(3L, 2, 1, true, 0));

    /** The demo's three claims, each at and just past its bound (200 questions per domain). */
    @Test
    void claimsFailExactlyPastTheirBounds() {
        assertEquals(List.of(), run(170, 70, 190, 180).failedClaims(), "85%, 35%, -5 points all hold");
        assertEquals(List.of("base alchemy 84.5% < 85%"), run(169, 70, 190, 180).failedClaims());
        assertEquals(List.of("falcon alchemy 35.5% > 35%"), run(170, 71, 190, 180).failedClaims());
        assertEquals(List.of("falcon towns 89.5% < base 95.0% - 5 points"), run(170, 70, 190, 179).failedClaims());
    }

    /** Two seeds of the tiny demo: a folder per seed, and the summary's mean, min and max per model and domain. */
    @Test
    void runsEverySeedAndSummarises(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<DemoSeeds.Run> runs = new DemoSeeds(seed -> DemoPipelineTest.tiny(seed), tmp.resolve("cache"),
                DemoListener.SILENT).run(List.of(1L, 2L), tmp, new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertEquals(List.of(1L, 2L), runs.stream().map(DemoSeeds.Run::seed).toList());
        assertTrue(Files.isRegularFile(tmp.resolve("seed-1/results.json")));
        assertTrue(Files.isRegularFile(tmp.resolve("seed-2/report.html")));
        DemoSeeds.write(runs, tmp.resolve("bench-demo.json"));
        JsonNode json = new ObjectMapper().readTree(tmp.resolve("bench-demo.json").toFile());
        for (String model : List.of("base", "falcon", "rmu")) {
            for (String domain : List.of("alchemy", "astronomy", "towns")) {
                double a = json.at("/seeds/0/accuracy/" + model + "/" + domain + "/acc").asDouble();
                double b = json.at("/seeds/1/accuracy/" + model + "/" + domain + "/acc").asDouble();
                JsonNode s = json.at("/summary/" + model + "/" + domain);
                assertEquals((a + b) / 2, s.get("mean").asDouble(), 1e-12);
                assertEquals(Math.min(a, b), s.get("min").asDouble(), 0.0);
                assertEquals(Math.max(a, b), s.get("max").asDouble(), 0.0);
            }
        }
        assertTrue(DemoSeeds.summary(runs).contains("over 2 seeds [1, 2]"));
    }

    /**
     * A run whose base and FALCON models got the given counts right of 200 on alchemy and towns; astronomy
     * is known fully before and forgotten fully after.
     */
    private static DemoSeeds.Run run(int baseForget, int falconForget, int baseRetain, int falconRetain) {
        DomainScores base = scores(baseForget, 200, baseRetain);
        MethodResult falcon = new MethodResult("falcon", scores(falconForget, 0, falconRetain), Map.of(), 0, "",
                Optional.empty());
        DemoResults results = new DemoResults(WORLD, null, base, McqForm.CLOZE, null, 0, List.of(falcon),
                Optional.empty());
        return new DemoSeeds.Run(0, results, 0);
    }

    private static DomainScores scores(int alchemy, int astronomy, int towns) {
        Map<String, Accuracy> acc = new LinkedHashMap<>();
        acc.put("alchemy", new Accuracy(alchemy, 200));
        acc.put("astronomy", new Accuracy(astronomy, 200));
        acc.put("towns", new Accuracy(towns, 200));
        return new DomainScores(acc, 1.0);
    }
}
