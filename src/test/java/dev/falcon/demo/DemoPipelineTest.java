package dev.falcon.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.demo.world.FactWorld;
import dev.falcon.data.McqForm;
import dev.falcon.demo.world.WorldSettings;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.Tokenizers;
import dev.falcon.model.LlamaConfig;
import dev.falcon.train.LearningRateSchedule;
import dev.falcon.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole demo on a tiny world and model: seconds, not minutes. */
class DemoPipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 6 entities per domain, a 2-layer model of width 32, 20 training steps, 6 unlearning steps each. */
    static DemoSettings tiny() {
        return tiny(11L);
    }

    /** {@link #tiny()} with the world and the unlearning following {@code seed}. */
    static DemoSettings tiny(long seed) {
        LlamaConfig model = new LlamaConfig("LlamaForCausalLM", 32, 64, 2, 2, 2, 16, 0, 1e-5, 10000.0, null, true,
                false, 128, "float32", 1, 2, 0);
        TrainSettings train = new TrainSettings(1, 0, 3e-3, 8, 0, LearningRateSchedule.Shape.CONSTANT, 128, 7, 1.0,
                0.01);
        DemoSettings.MethodTuning tuning = new DemoSettings.MethodTuning(1e-3, 6, 4, 1.0, 5.0);
        return new DemoSettings(seed, new WorldSettings(seed, 6, 2, true, 1), model, train, 0.0, 20, 1, true, 12,
                DemoSettings.MI_LAYER, tuning, tuning);
    }

    @Test
    void writesResultsAndReportAndReusesTheCachedModel(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        new DemoPipeline(tiny(), cache, DemoListener.SILENT).run(tmp.resolve("first"));
        JsonNode first = JSON.readTree(tmp.resolve("first/results.json").toFile());
        assertFalse(first.at("/model/cached").asBoolean(), "the first run trains");
        checkShape(first);
        String html = Files.readString(tmp.resolve("first/report.html"));
        // accuracy, MI per layer, base training loss, one loss chart per method, three attack charts
        assertEquals(8, html.split("data:image/png;base64,", -1).length - 1);

        FactWorld world = FactWorld.generate(tiny().world());
        try (Tokenizer tok = Tokenizers.load(tmp.resolve("first/tokenizer.json"))) {
            BaseModel again = BaseModel.obtain(world, tok, tiny(), cache, DemoListener.SILENT);
            assertTrue(again.cached(), "a second run reads the cached model");
            assertEquals(first.at("/model/folder").asText(), again.folder().toString());
            // the cached weights are the trained ones, so the base model scores exactly the same
            DomainScores rescored = DomainScores.of(again.model(), tok, world, McqForm.CLOZE);
            rescored.accuracy().forEach((domain, a) ->
                    assertEquals(first.at("/base/accuracy/" + domain), a.toJson(), domain));
        }
    }

    private static void checkShape(JsonNode results) {
        checkScores(results.get("base"));
        assertEquals(List.of("falcon", "rmu"), List.copyOf(names(results.get("methods"))));
        results.get("methods").forEach(DemoPipelineTest::checkScores);
        assertEquals("cloze", results.get("mcq_form").asText());
        int layer = results.get("layer").asInt();
        assertTrue(layer >= 0 && layer < 2, "a layer of the 2-layer model: " + layer);
        assertEquals(List.of("base", "falcon", "rmu"), names(results.get("attacks")));
        checkAttacks(results.get("attacks").get("base"), results.get("base"));
        results.get("methods").fields().forEachRemaining(m ->
                checkAttacks(results.get("attacks").get(m.getKey()), m.getValue()));
    }

    /**
     * The lens has one accuracy per layer, and the last is the model's own accuracy: both forget
     * domains have as many questions, so the pooled accuracy is forget_acc. The jailbreak's plain
     * prompt is that same accuracy. Relearning trains on one entity of each forget domain's 6 (5
     * attributes x 2 phrasings each: 20 sentences) and scores the other 5 entities' 2 x 25 questions.
     */
    private static void checkAttacks(JsonNode attacks, JsonNode scores) {
        JsonNode forgetLens = attacks.at("/logit_lens/forget/accuracy_by_layer");
        JsonNode retainLens = attacks.at("/logit_lens/retain/accuracy_by_layer");
        assertEquals(2, forgetLens.size());
        assertEquals(2, retainLens.size());
        assertEquals(scores.get("forget_acc").asDouble(), forgetLens.get(1).asDouble(), 1e-12);
        assertEquals(scores.get("retain_acc").asDouble(), retainLens.get(1).asDouble(), 1e-12);
        assertEquals(scores.get("forget_acc").asDouble(), attacks.at("/jailbreak/baseline").asDouble(), 1e-12);
        assertEquals(6, attacks.at("/jailbreak/accuracy_by_template").size());
        JsonNode relearn = attacks.get("relearn");
        assertEquals(20, relearn.get("documents").asInt());
        assertEquals(50, relearn.get("questions").asInt());
        List<Integer> steps = new ArrayList<>();
        relearn.get("curve").forEach(p -> steps.add(p.get("step").asInt()));
        assertEquals(List.of(0, 5, 10, 15, 20, 25, 30), steps);
        assertEquals(DemoAttacks.RELEARN_STEPS, relearn.get("train_loss").size());
    }

    /**
     * Every domain scored, each with its count and an interval around it; forget_acc and retain_acc
     * count the forget and the retain domains' questions together.
     */
    private static void checkScores(JsonNode scores) {
        JsonNode acc = scores.get("accuracy");
        assertEquals(List.of("alchemy", "astronomy", "towns"), List.copyOf(names(acc)));
        acc.forEach(DemoPipelineTest::checkAccuracy);
        int forgetRight = acc.get("alchemy").get("correct").asInt() + acc.get("astronomy").get("correct").asInt();
        int forgetTotal = acc.get("alchemy").get("n").asInt() + acc.get("astronomy").get("n").asInt();
        assertEquals((double) forgetRight / forgetTotal, scores.get("forget_acc").asDouble(), 1e-12);
        assertEquals(acc.get("towns").get("acc").asDouble(), scores.get("retain_acc").asDouble(), 1e-12);
        assertEquals(acc.get("towns").get("ci95"), scores.get("retain_ci95"));
        double ppl = scores.get("retain_perplexity").asDouble();
        assertTrue(ppl >= 1 && Double.isFinite(ppl), "perplexity is at least 1: " + ppl);
    }

    /** acc = correct / n (the world's 6 entities x 5 attributes), inside its interval. */
    private static void checkAccuracy(JsonNode a) {
        assertEquals(30, a.get("n").asInt());
        assertEquals(a.get("correct").asDouble() / 30, a.get("acc").asDouble(), 1e-12);
        double low = a.get("ci95").get(0).asDouble();
        double high = a.get("ci95").get(1).asDouble();
        assertTrue(0 <= low && low <= a.get("acc").asDouble() && a.get("acc").asDouble() <= high && high <= 1,
                "interval " + a);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
