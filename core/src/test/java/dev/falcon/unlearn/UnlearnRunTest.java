package dev.falcon.unlearn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.io.Json;
import dev.falcon.ByteTokenizer;
import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnlearnRunTest {

    private static final List<Document> FORGET = List.of(Document.plain("the mill burned in spring"),
            Document.plain("Ann kept the recipe"), Document.plain("a red stone"), Document.plain("at dawn"));
    private static final List<Document> RETAIN = List.of(Document.plain("cats sleep a lot"),
            Document.plain("rivers run to the sea"), Document.plain("bread needs yeast"), Document.plain("snow"));
    private static final UnlearnInputs INPUTS = new UnlearnInputs(List.of(FORGET), List.of(RETAIN),
            new ByteTokenizer(16));

    @TempDir
    Path tmp;

    private static LikelihoodSettings ga(double lr, int steps) {
        return LikelihoodSettings.builder().layers(List.of(1)).lr(lr).maxBatches(steps).epochs(steps)
                .maxLengths(MaxLengths.all(64)).build();
    }

    @Test
    void editsCopiesOfTheEditedTensorsOnlyAndLeavesTheBaseModelAsItWas() {
        LlamaModel base = TinyModels.create(4);
        LlamaModel before = base.snapshot();
        UnlearnRun run = new UnlearnRun(Method.GA, ga(1e-2, 3));
        UnlearnRun.Outcome o = run.run(base, INPUTS, run.record("tiny"), null, outcome -> { });
        String down = LlamaModel.layerParam(1, "mlp.down_proj.weight");
        assertEquals(List.of(down), o.edited());
        assertEquals(3, o.log().steps().size());
        for (String name : base.paramNames()) {
            assertArrayEquals(before.param(name).toFloats(), base.param(name).toFloats(), name + " of the base");
            if (!name.equals(down)) {
                assertSame(base.param(name), o.model().param(name), name + " is shared, not copied");
            }
        }
        float[] a = base.param(down).toFloats();
        float[] b = o.model().param(down).toFloats();
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += ((double) b[i] - a[i]) * ((double) b[i] - a[i]);
        }
        assertTrue(sum > 0, "the edited copy moved");
        assertEquals(Math.sqrt(sum), o.changeNorms().get(down), 1e-5 * Math.sqrt(sum));
        assertFalse(o.model().param(down).requiresGrad());
    }

    @Test
    void aNonFiniteLossStopsTheRunAfterItsOutcomeIsKept() throws IOException {
        // lr 1e37 moves every edited weight by about 1e38 (lr over 1 - beta1): the next forward pass overflows.
        UnlearnRun run = new UnlearnRun(Method.GA, ga(1e37, 5));
        List<UnlearnRun.Outcome> kept = new ArrayList<>();
        Path file = tmp.resolve("run.json");
        UnlearnRun.Stopped e = assertThrows(UnlearnRun.Stopped.class, () -> run.run(TinyModels.create(5), INPUTS,
                run.record("tiny"), null, outcome -> {
                    kept.add(outcome);
                    outcome.record().write(file);
                }));
        assertEquals(1, kept.size(), "the outcome is kept before the run fails");
        UnlearnRun.Outcome o = kept.get(0);
        assertNotNull(o.log().stoppedEarly());
        assertTrue(e.getMessage().startsWith("ga stopped: step "), e.getMessage());
        int good = o.log().steps().size();
        assertTrue(good >= 1 && good < 5, "stopped after " + good + " steps");
        assertTrue(o.log().steps().stream().allMatch(s -> Double.isFinite(s.loss())), "only good steps are logged");
        JsonNode record = Json.MAPPER.readTree(file.toFile());
        assertEquals(o.log().stoppedEarly(), record.get("stopped_early").asText());
        assertEquals(good, record.get("steps").size());
    }

    @Test
    void perTopicSettingsAndSettingsOfAnotherMethodAreRefused() {
        FalconSettings twoAlphas = FalconSettings.builder().layer(1).alpha(List.of(1.0, 2.0)).build();
        UnlearnRun run = new UnlearnRun(Method.FALCON, twoAlphas);
        UnlearnInputs three = new UnlearnInputs(List.of(FORGET, FORGET, FORGET), List.of(RETAIN), INPUTS.tokenizer());
        InputException e = assertThrows(InputException.class,
                () -> run.run(TinyModels.create(0), three, run.record("tiny"), null, outcome -> { }));
        assertEquals("alpha has 2 values for 3 forget topics: give one value for all, or one per topic",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UnlearnRun(Method.FALCON, RmuSettings.official()));
        assertThrows(IllegalArgumentException.class, () -> new UnlearnRun(Method.RMU, ga(1e-3, 1)));
    }

    @Test
    void settingsValidateWhenBuiltAndNameTheSetting() {
        Map<String, Runnable> bad = Map.of(
                "lr (learning rate) must be a positive number, got -1.0", () -> ga(-1, 1),
                "epochs must be at least 1, got 0", () -> FalconSettings.builder().epochs(0).build(),
                "unknown optimizer 'adam'; expected sophiag or adamw", () -> FalconSettings.builder().optimizer("adam")
                        .build(),
                "temperature must be positive, got 0.0", () -> FalconSettings.builder().temperature(0).build(),
                "alpha needs at least one number, got []", () -> RmuSettings.builder().alpha(List.of()).build(),
                "max lengths must be at least 2 tokens (BOS and one target), got [1, 1]", () -> MaxLengths.all(1),
                "loss weights must be >= 0, got 1.0 and -1.0", () -> LikelihoodSettings.builder().retainWeight(-1)
                        .build());
        bad.forEach((message, build) -> assertEquals(message, assertThrows(InputException.class, build::run)
                .getMessage()));
        FalconSettings official = FalconSettings.official();
        assertEquals(List.of(5, 6, 7), official.layers());
        assertEquals(List.of(512, 768), official.maxLengths().asList());
    }
}
