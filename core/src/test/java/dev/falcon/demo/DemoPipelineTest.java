package dev.falcon.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.attack.Attacks;
import dev.falcon.checkpoint.HfCheckpoint;
import dev.falcon.checkpoint.ModelLoader;
import dev.falcon.cli.Main;
import dev.falcon.demo.world.FactWorld;
import dev.falcon.engine.DType;
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
import java.util.Map;
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
                DemoSettings.MI_LAYER, tuning, tuning, new DemoSettings.MethodTuning(1e-3, 6, 4, 1.0, 0.1),
                TINY_BUDGETS);
    }

    /**
     * Narrow budgets for the expensive attacks: the 20 statements relearning is shown (one entity of each forget
     * domain's 6, 5 facts in 2 phrasings), the first 20 retain statements, 2 GCG iterations, 1 direction.
     */
    static final Map<String, List<String>> TINY_BUDGETS = Map.of("relearn", List.of("20x0", "20x5"),
            "finetune-unrelated", List.of("20x0", "20x5"), "gcg", List.of("0", "2"),
            "direction-ablation", List.of("0", "1"));

    /** Forget questions the demo's audit scores: 5 of each forget domain's 6 entities, 5 facts each, 2 domains. */
    static final int AUDITED_QUESTIONS = 50;

    @Test
    void writesResultsAndReportAndReusesTheCachedModel(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        new DemoPipeline(tiny(), cache, DemoListener.SILENT, false).run(tmp.resolve("first"));
        JsonNode first = JSON.readTree(tmp.resolve("first/results.json").toFile());
        assertFalse(first.at("/model/cached").asBoolean(), "the first run trains");
        checkShape(first);
        first.get("methods").forEach(m -> assertFalse(m.has("audit"), "--no-audit audits nothing"));
        assertFalse(first.has("audit_command"));
        assertFalse(Files.exists(tmp.resolve("first").resolve(DemoPipeline.AUDIT_INPUTS)));
        String html = Files.readString(tmp.resolve("first/report.html"));
        // accuracy, MI per layer, base training loss, one loss chart per method
        assertEquals(6, charts(html));

        FactWorld world = FactWorld.generate(tiny().world());
        try (Tokenizer tok = Tokenizers.load(tmp.resolve("first/tokenizer.json"))) {
            BaseModel again = BaseModel.obtain(world, tok, tiny(), cache, DemoListener.SILENT);
            assertTrue(again.cached(), "a second run reads the cached model");
            assertEquals(first.at("/model/folder").asText(), again.folder().toString());
            // the cached weights are the trained ones, so the base model scores exactly the same
            DomainScores rescored = DomainScores.of(again.model(), tok, world, McqForm.CLOZE);
            rescored.accuracy().forEach((domain, a) ->
                    assertEquals(first.at("/base/accuracy/" + domain), a.toJson(), domain));
            // and so do the written models: the unlearned ones as the demo scored them
            for (String model : List.of("falcon", "rmu", "npo")) {
                try (HfCheckpoint written = HfCheckpoint.open(tmp.resolve("first/models").resolve(model))) {
                    DomainScores scores = DomainScores.of(ModelLoader.load(written, DType.F32), tok, world,
                            McqForm.CLOZE);
                    scores.accuracy().forEach((domain, a) -> assertEquals(
                            first.at("/methods/" + model + "/accuracy/" + domain), a.toJson(), model + " " + domain));
                }
            }
        }
    }

    /**
     * With the audit: every method audited by every attack, the control shared, each worst case the highest
     * point of its curves, and falcon audit run by hand with the printed command line on the written models and
     * inputs reaching the same verdict and worst case, with exit code 0 or 3 as the verdict says.
     */
    @Test
    void auditsEveryMethodAndTheCommandLineRepeatsIt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        DemoResults results = new DemoPipeline(tiny(), tmp.resolve("cache"), DemoListener.SILENT, true).run(out);
        JsonNode json = JSON.readTree(out.resolve("results.json").toFile());
        checkShape(json);
        JsonNode control = json.at("/methods/falcon/audit/attacks");
        for (String method : List.of("falcon", "rmu", "npo")) {
            JsonNode audit = json.at("/methods/" + method + "/audit");
            assertEquals(JSON.readTree(out.resolve("audit-" + method + "/audit.json").toFile()), audit, method);
            checkAudit(audit, json.at("/methods/" + method));
            for (int i = 0; i < control.size(); i++) {
                assertEquals(control.get(i).get("original"), audit.get("attacks").get(i).get("original"),
                        "one control run serves every method");
            }
        }
        String html = Files.readString(out.resolve("report.html"));
        // accuracy, MI per layer, base training loss, one loss chart per method, one chart per attack
        assertEquals(6 + Attacks.NAMES.size(), charts(html));
        assertTrue(results.table().contains("worst case"), results.table());

        String command = results.auditCommand().orElseThrow();
        List<String> args = List.of(command.split(" "));
        assertEquals(List.of("./falcon", "audit"), args.subList(0, 2));
        JsonNode demo = json.at("/methods/falcon/audit");
        int exit = Main.run(args.subList(1, args.size()).toArray(String[]::new));
        assertEquals(demo.at("/verdict/pass").asBoolean() ? 0 : 3, exit, command);
        JsonNode byHand = JSON.readTree(out.resolve("audit-by-hand/audit.json").toFile());
        assertEquals(demo.get("verdict"), byHand.get("verdict"));
        assertEquals(demo.get("worst_case"), byHand.get("worst_case"));
        assertEquals(demo.get("files"), byHand.get("files"), "the same models and inputs, by hash");
    }

    private static int charts(String html) {
        return html.split("data:image/png;base64,", -1).length - 1;
    }

    private static void checkShape(JsonNode results) {
        checkScores(results.get("base"));
        assertEquals(List.of("falcon", "rmu", "npo"), List.copyOf(names(results.get("methods"))));
        results.get("methods").forEach(DemoPipelineTest::checkScores);
        assertEquals("cloze", results.get("mcq_form").asText());
        int layer = results.get("layer").asInt();
        assertTrue(layer >= 0 && layer < 2, "a layer of the 2-layer model: " + layer);
    }

    /**
     * Every attack ran, at the given budgets where given; the worst case is the highest accuracy of the plain
     * score and every point of every curve; the logit lens read at the last layer is the plain score.
     */
    private static void checkAudit(JsonNode audit, JsonNode scores) {
        assertEquals(AUDITED_QUESTIONS, audit.at("/questions/forget").asInt());
        assertEquals(30, audit.at("/questions/retain").asInt(), "the towns domain's 6 entities x 5 facts");
        List<String> attacks = new ArrayList<>();
        double highest = audit.at("/scores/unlearned/forget/acc").asDouble();
        for (JsonNode a : audit.get("attacks")) {
            String name = a.get("attack").asText();
            attacks.add(name);
            if (TINY_BUDGETS.containsKey(name)) {
                assertEquals(TINY_BUDGETS.get(name), JSON.convertValue(a.get("budgets"), List.class), name);
            }
            for (JsonNode p : a.at("/unlearned/curve")) {
                highest = Math.max(highest, p.get("acc").asDouble());
            }
        }
        assertEquals(Attacks.NAMES, attacks);
        assertTrue(audit.at("/skipped").isEmpty(), "every attack had its inputs: " + audit.at("/skipped"));
        assertEquals(highest, audit.at("/worst_case/acc").asDouble(), 1e-12);
        JsonNode lens = audit.at("/attacks/1/unlearned/curve");
        assertEquals("logit-lens", audit.at("/attacks/1/attack").asText());
        assertEquals(audit.at("/scores/unlearned/forget"), withoutBudget(lens.get(lens.size() - 1)));
        // the audit's retain questions are the retain domain's, scored as the demo scored them
        assertEquals(scores.get("retain_acc").asDouble(), audit.at("/scores/unlearned/retain/acc").asDouble(), 1e-12);
        assertTrue(audit.at("/membership_inference/unlearned/auc/loss").isNumber(), "membership inference ran");
    }

    private static JsonNode withoutBudget(JsonNode point) {
        ObjectNode copy = point.deepCopy();
        copy.remove("budget");
        return copy;
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
