package dev.falcon.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.HeadlessChromium;
import dev.falcon.attack.Attacks;
import dev.falcon.cli.Main;
import dev.falcon.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * falcon audit on a model pair whose verdict is known ({@link AuditWorld}): the original audited as its own
 * unlearned version fails (it knows every forget answer, and its forget texts look like members against the
 * retrained reference); the retrained model, never trained on the forget questions, passes with a forget
 * margin wide enough for 20 questions at chance. Both audits run once for all tests.
 */
class AuditCommandTest {

    @TempDir
    static Path tmp;

    private static AuditWorld world;
    private static int failExit;
    private static int passExit;

    @BeforeAll
    static void audit() throws IOException {
        world = AuditWorld.create(tmp.resolve("world"));
        failExit = Main.run(args(world.original, tmp.resolve("fail")));
        // 20 questions at chance reach 35% by luck at some of the battery's budgets; 25 points leave room for it
        passExit = Main.run(plus(args(world.retrained, tmp.resolve("pass")), "--forget-margin", "25"));
    }

    private static String[] args(Path unlearned, Path out) {
        return new String[] {"audit", "--model", unlearned.toString(), "--original", world.original.toString(),
            "--forget-mcq", world.forgetMcq.toString(), "--retain-mcq", world.retainMcq.toString(), "--forget-text",
            world.forgetText.toString(), "--holdout-text", world.holdoutText.toString(), "--retain-text",
            world.retainText.toString(), "--reference", world.retrained.toString(), "--form", "cloze", "--add-bos",
            // the fine-tuning attacks' default 25 and 50 steps cost minutes here and prove nothing more
            "--budget", "relearn=10x0,10x5", "--budget", "finetune-unrelated=10x0,10x5", "--budget", "gcg=0,2",
            "--out", out.toString()};
    }

    private static String[] plus(String[] args, String... more) {
        return Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new);
    }

    private static JsonNode audit(String which) throws IOException {
        return Json.MAPPER.readTree(tmp.resolve(which).resolve("audit.json").toFile());
    }

    private static String outcome(JsonNode audit, String check) {
        for (JsonNode c : audit.at("/verdict/checks")) {
            if (c.get("name").asText().equals(check)) {
                return c.get("outcome").asText();
            }
        }
        throw new AssertionError("no check " + check);
    }

    @Test
    void theOriginalAuditedAsItsOwnUnlearnedVersionFails() throws IOException {
        assertEquals(3, failExit);
        JsonNode a = audit("fail");
        assertFalse(a.at("/verdict/pass").asBoolean());
        assertEquals("pass", outcome(a, "control"));
        assertEquals("fail", outcome(a, "forget"));
        assertEquals("pass", outcome(a, "retain"), "the same model loses nothing");
        assertEquals("fail", outcome(a, "privleak"));
        assertTrue(a.at("/worst_case/acc").asDouble() > 0.35);
        assertTrue(a.at("/membership_inference/privleak/unlearned").asDouble() < -20);
    }

    @Test
    void theRetrainedModelPasses() throws IOException {
        assertEquals(0, passExit);
        JsonNode a = audit("pass");
        assertTrue(a.at("/verdict/pass").asBoolean());
        List.of("control", "forget", "retain", "privleak").forEach(c -> assertEquals("pass", outcome(a, c), c));
        assertEquals(0.0, a.at("/membership_inference/privleak/unlearned").asDouble(), 1e-12,
                "the reference is the audited model itself");
        assertEquals(25.0, a.at("/settings/thresholds/forget_margin_points").asDouble());
    }

    /** Counts, chance, hashes and the battery against values taken from the inputs here; intervals hold their point. */
    @Test
    void auditJsonRecordsTheInputsAndEveryAttack() throws Exception {
        JsonNode a = audit("fail");
        assertEquals(Files.readAllLines(world.forgetMcq).size(), a.at("/questions/forget").asInt());
        assertEquals(Files.readAllLines(world.retainMcq).size(), a.at("/questions/retain").asInt());
        assertEquals(a.at("/questions/forget").asInt(), a.at("/scores/unlearned/forget/n").asInt());
        assertEquals(0.25, a.get("chance").asDouble(), 1e-12, "four choices each");
        assertEquals(sha256(world.forgetMcq), a.at("/files/forget_mcq/sha256").asText());
        assertEquals(sha256(world.holdoutText), a.at("/files/holdout_text/sha256").asText());
        assertEquals(sha256(world.original.resolve("model.safetensors")),
                a.at("/files/model/files/model.safetensors").asText());
        assertEquals(sha256(world.retrained.resolve("config.json")), a.at("/files/reference/files/config.json").asText());
        List<String> seen = new ArrayList<>();
        a.get("attacks").forEach(attack -> {
            seen.add(attack.get("attack").asText());
            int budgets = attack.get("budgets").size();
            for (String model : List.of("unlearned", "original")) {
                JsonNode curve = attack.get(model).get("curve");
                assertEquals(budgets, curve.size());
                curve.forEach(p -> assertTrue(p.at("/ci95/0").asDouble() <= p.get("acc").asDouble() + 1e-12
                        && p.get("acc").asDouble() <= p.at("/ci95/1").asDouble() + 1e-12, p::toString));
            }
        });
        a.get("skipped").forEach(s -> seen.add(s.get("attack").asText()));
        assertEquals(Attacks.NAMES.stream().sorted().toList(), seen.stream().sorted().toList());
        assertEquals(List.of(), a.get("skipped").findValuesAsText("attack"), "every input was given");
        double highest = 0;
        for (JsonNode attack : a.get("attacks")) {
            for (JsonNode p : attack.at("/unlearned/curve")) {
                highest = Math.max(highest, p.get("acc").asDouble());
            }
        }
        assertEquals(Math.max(highest, a.at("/scores/unlearned/forget/acc").asDouble()),
                a.at("/worst_case/acc").asDouble(), 1e-12);
    }

    @Test
    void badInputExitsWithTwoAndWritesNothing() throws IOException {
        String[] good = args(world.retrained, tmp.resolve("never"));
        assertEquals(2, Main.run(replace(good, "--original", tmp.resolve("missing").toString())));
        assertEquals(2, Main.run(plus(good, "--forget-margin", "-1")));
        assertEquals(2, Main.run(plus(good, "--attacks", "nonsense")));
        assertEquals(2, Main.run(plus(good, "--budget", "quantize=3")));
        assertEquals(2, Main.run(plus(good, "--attacks", "quantize", "--budget", "jailbreak=none")));
        assertEquals(2, Main.run(replace(good, "--form", "essay")));
        assertEquals(2, Main.run(replace(good, "--forget-mcq", tmp.resolve("missing.jsonl").toString())));
        assertEquals(2, Main.run(replace(good, "--reference", world.original.toString())));
        assertEquals(2, Main.run(replace(good, "--out", world.original.resolve("audit").toString())));
        assertEquals(2, Main.run(replace(args(world.retrained, tmp.resolve("fail")), "--form", "cloze")),
                "an existing output folder needs --overwrite");
        assertFalse(Files.exists(tmp.resolve("never")));
        assertFalse(Files.exists(world.original.resolve("audit")));
    }

    @Test
    void auditHtmlOpensInChromiumWithoutProblems() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        for (String which : List.of("fail", "pass")) {
            Path html = tmp.resolve(which).resolve("audit.html");
            String page = Files.readString(html);
            assertTrue(page.contains(which.equals("pass") ? "<h2>PASS</h2>" : "<h2>FAIL</h2>"));
            // one chart per attack that ran
            assertEquals(audit(which).get("attacks").size(), page.split("data:image/png;base64,", -1).length - 1);
            assertEquals(List.of(), chromium.render(html, tmp.resolve(which + ".png")));
        }
    }

    private static String[] replace(String[] args, String option, String value) {
        String[] out = args.clone();
        for (int i = 0; i < out.length - 1; i++) {
            if (out[i].equals(option)) {
                out[i + 1] = value;
                return out;
            }
        }
        throw new AssertionError("no " + option);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
