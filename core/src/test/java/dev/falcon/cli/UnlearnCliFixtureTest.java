package dev.falcon.cli;

import dev.falcon.checkpoint.SafetensorsFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `falcon unlearn` end to end on stories260K (converted to HF), TOFU forget01 and WikiText lines. */
class UnlearnCliFixtureTest {

    @TempDir
    static Path tmp;

    static Path hf;
    static Path forget;
    static Path retain;

    @BeforeAll
    static void prepare() throws IOException {
        UnlearnFixture inputs = UnlearnFixture.prepare(tmp);
        hf = inputs.hf();
        forget = inputs.forget();
        retain = inputs.retain();
    }

    private static List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("unlearn", "--model", hf.toString(), "--forget", forget.toString(),
                "--retain", retain.toString(), "--out", out.toString(), "--layer", "3", "--max-batches", "3",
                "--lr", "1e-3"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void editsOnlyTheDownProjectionsAndKeepsEverythingElseByteIdentical() throws IOException {
        Path out = tmp.resolve("unlearned");
        assertEquals(0, Main.run(args(out).toArray(String[]::new)));
        assertTrue(Files.isRegularFile(out.resolve("falcon-run.json")));
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
        try (SafetensorsFile before = SafetensorsFile.open(hf.resolve("model.safetensors"));
             SafetensorsFile after = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            for (var info : before.tensors()) {
                boolean edited = info.name().matches("model\\.layers\\.[123]\\.mlp\\.down_proj\\.weight");
                if (edited) {
                    assertNotEquals(before.bytes(info.name()), after.bytes(info.name()), info.name());
                } else {
                    assertEquals(before.bytes(info.name()), after.bytes(info.name()), info.name());
                }
            }
        }
        assertEquals(0, Main.run("generate", "--model", out.toString(), "--max-tokens", "20", "--temperature", "0"));
    }

    @Test
    void everyBaselineRunsThroughTheSameCommand() throws IOException {
        for (String method : List.of("rmu", "ga", "graddiff", "npo", "simnpo")) {
            Path out = tmp.resolve("unlearned-" + method);
            assertEquals(0, Main.run(args(out, "--method", method, "--max-batches", "2").toArray(String[]::new)),
                    method);
            String record = Files.readString(out.resolve("falcon-run.json"));
            assertTrue(record.contains("\"method\" : \"" + method + "\""), method + " recorded");
            boolean rmu = method.equals("rmu");
            assertEquals(rmu, record.contains("\"steeringCoeff\""), method + " records RMU's settings only for RMU");
            assertEquals(!rmu, record.contains("\"npoBeta\""), method + " records the likelihood settings");
            assertFalse(record.contains("\"conflictWeights\""), method + " records no FALCON settings");
            try (SafetensorsFile before = SafetensorsFile.open(hf.resolve("model.safetensors"));
                 SafetensorsFile after = SafetensorsFile.open(out.resolve("model.safetensors"))) {
                String name = "model.layers.3.mlp.down_proj.weight";
                assertNotEquals(before.bytes(name), after.bytes(name), method + " edits " + name);
                assertEquals(before.bytes("model.layers.4.mlp.down_proj.weight"),
                        after.bytes("model.layers.4.mlp.down_proj.weight"), method + " leaves layer 4 alone");
            }
        }
        assertEquals(2, Main.run(args(tmp.resolve("x"), "--method", "magic").toArray(String[]::new)));
    }

    private static void assertRefused(String expected, String... extra) {
        Path out = tmp.resolve("refused");
        Map.Entry<Integer, String> r = UnlearnFixture.runCapturingErr(args(out, extra));
        assertEquals(2, r.getKey(), r.getValue());
        assertTrue(r.getValue().contains(expected), r.getValue());
        assertTrue(Files.notExists(out), "no output for " + List.of(extra));
    }

    @Test
    void anOptionTheMethodDoesNotReadIsRefusedByName() {
        assertRefused("--optimizer does not apply to --method rmu", "--method", "rmu", "--optimizer", "adamw");
        assertRefused("--conflict-weights does not apply to --method ga", "--method", "ga",
                "--conflict_weights", "0.5,1.5");
        assertRefused("--align-weights does not apply to --method npo", "--method", "npo", "--align-weights", "1,1");
        assertRefused("--paper-pov does not apply to --method npo", "--method", "npo", "--paper-pov");
        assertRefused("--no-cache does not apply to --method rmu", "--method", "rmu", "--no-cache");
        assertRefused("--alpha does not apply to --method graddiff", "--method", "graddiff", "--alpha", "5");
        assertRefused("--steering-coeff does not apply to --method simnpo", "--method", "simnpo",
                "--steering_coeffs", "5");
        assertRefused("--no-mask does not apply to --method ga", "--method", "ga", "--no-mask");
        assertRefused("--retain-weight does not apply to --method falcon", "--retain-weight", "0.5");
        assertRefused("--retain-weight does not apply to --method ga", "--method", "ga", "--retain-weight", "0.5");
        assertRefused("--beta does not apply to --method rmu", "--method", "rmu", "--beta", "0.5");
        assertRefused("--gamma does not apply to --method npo", "--method", "npo", "--gamma", "0.5");
    }

    @Test
    void settingMistakesAreInputErrorsNamingTheSetting() {
        String f = forget.toString();
        // two more forget files after the one args() names: three topics
        assertRefused("alpha has 2 values for 3 forget topics", "--forget", f + "," + f, "--alpha", "1,2");
        assertRefused("lr (learning rate) must be a positive number", "--lr", "0");
        assertRefused("unknown optimizer 'adam'", "--optimizer", "adam");
        assertRefused("edited layer 3 is above the loss layer 2", "--layer", "2", "--layers", "2,3");
        assertRefused("epochs must be at least 1", "--method", "npo", "--epochs", "0");
        assertRefused("beta must be positive", "--method", "simnpo", "--beta", "-1");
    }

    @Test
    void theRunRecordNamesTheInputsTheSettingsAndEveryChange() throws Exception {
        Path out = tmp.resolve("recorded");
        assertEquals(0, Main.run(args(out, "--seed", "7", "--epochs", "2", "--alpha", "50")
                .toArray(String[]::new)));
        JsonNode r = Json.MAPPER.readTree(out.resolve("falcon-run.json").toFile());
        assertEquals("falcon", r.get("method").asText());
        assertEquals(7, r.get("seed").asLong());
        assertEquals(hf.toString(), r.get("model").asText());
        JsonNode inputs = r.get("inputs");
        assertEquals(2, inputs.size());
        assertInput(inputs.get(0), "forget", forget);
        assertInput(inputs.get(1), "retain", retain);
        assertFalse(r.has("layer_selection"), "--layer 3 selects nothing");
        JsonNode c = r.get("config");
        assertEquals(3, c.get("layer").asInt());
        assertEquals("[1,2,3]", c.get("layers").toString(), "l*-2..l*");
        assertEquals("[\"mlp.down_proj\"]", c.get("params").toString());
        assertEquals("[50.0]", c.get("alpha").toString());
        assertEquals(1e-3, c.get("lr").asDouble(), 0);
        assertEquals(3, c.get("maxBatches").asInt());
        assertEquals(2, c.get("epochs").asInt());
        assertEquals(7, c.get("seed").asLong());
        assertEquals("sophiag", c.get("optimizer").asText());
        assertEquals("[512,768]", c.get("maxLengths").toString());
        // 40 forget questions and 40 retain lines make 10 batches of 4 each; --max-batches 3 caps the run.
        JsonNode steps = r.get("steps");
        assertEquals(3, steps.size());
        for (int k = 0; k < 3; k++) {
            JsonNode step = steps.get(k);
            List<String> fields = new ArrayList<>();
            step.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("step", "topic", "forget_loss", "retain_loss", "gradient_cosines"), fields,
                    "the same order in every run");
            assertEquals(k, step.get("step").asInt());
            assertEquals(0, step.get("topic").asInt());
            assertTrue(Double.isFinite(step.get("forget_loss").asDouble()), step.toString());
            assertTrue(Double.isFinite(step.get("retain_loss").asDouble()), step.toString());
            assertEquals(3, step.get("gradient_cosines").size(), "one cosine per edited matrix");
        }
        assertEquals(0.0, steps.get(0).get("retain_loss").asDouble(), 1e-6, "step 0 runs on the frozen weights");
        JsonNode changed = r.get("changed_tensors");
        assertEquals(3, changed.size());
        try (SafetensorsFile before = SafetensorsFile.open(hf.resolve("model.safetensors"));
             SafetensorsFile after = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            for (int i = 0; i < 3; i++) {
                String name = "model.layers." + (i + 1) + ".mlp.down_proj.weight";
                assertEquals(name, changed.get(i).get("name").asText());
                float[] a = before.floats(name);
                float[] b = after.floats(name);
                double sum = 0;
                for (int j = 0; j < a.length; j++) {
                    sum += ((double) b[j] - a[j]) * ((double) b[j] - a[j]);
                }
                assertEquals(Math.sqrt(sum), changed.get(i).get("change_norm").asDouble(), 1e-5 * Math.sqrt(sum) + 1e-9,
                        name);
            }
        }
        assertFalse(r.has("stopped_early"));
    }

    private static void assertInput(JsonNode input, String role, Path file) throws Exception {
        assertEquals(role, input.get("role").asText());
        assertEquals(file.toString(), input.get("file").asText());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        assertEquals(HexFormat.of().formatHex(digest), input.get("sha256").asText());
    }

    @Test
    void badInputIsRefusedWithExitCode2() throws IOException {
        Path empty = tmp.resolve("empty.txt");
        Files.writeString(empty, "\n\n");
        Path out = tmp.resolve("never");
        assertEquals(2, Main.run("unlearn", "--model", hf.toString(), "--forget", empty.toString(),
                "--retain", retain.toString(), "--out", out.toString()), "empty forget file");
        assertEquals(2, Main.run(args(out, "--layer", "9").toArray(String[]::new)), "layer out of range");
        assertEquals(2, Main.run(args(out, "--params", "mlp.nothing").toArray(String[]::new)), "unknown parameter");
        assertEquals(2, Main.run(args(hf).toArray(String[]::new)), "output is the input");
        Files.createDirectories(tmp.resolve("exists"));
        assertEquals(2, Main.run(args(tmp.resolve("exists")).toArray(String[]::new)), "output exists");
        assertTrue(Files.notExists(out), "no half-written output");
    }
}
