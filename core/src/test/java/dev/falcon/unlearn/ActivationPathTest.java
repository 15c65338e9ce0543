package dev.falcon.unlearn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.ByteTokenizer;
import dev.falcon.data.Document;
import dev.falcon.engine.DType;
import dev.falcon.io.Json;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.RandomModel;
import dev.falcon.train.TinyModels;
import dev.falcon.train.TrainLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationPathTest {

    private static final int LAYER = 3;
    private static final List<Integer> EDITED = List.of(2, 3);

    @TempDir
    Path tmp;

    /** TinyModels' shape with 5 layers: blocks 0-1 lie below the edited ones, block 4 above l*. */
    private static LlamaModel model() {
        LlamaConfig c = TinyModels.config();
        return RandomModel.create(new LlamaConfig(c.architecture(), c.hiddenSize(), c.intermediateSize(), 5,
                c.numHeads(), c.numKvHeads(), c.headDim(), c.vocabSize(), c.rmsNormEps(), c.ropeTheta(),
                c.ropeScaling(), c.tieWordEmbeddings(), c.attentionBias(), c.maxPositionEmbeddings(),
                c.torchDtype(), c.bosTokenId(), c.eosTokenId(), c.slidingWindow()), 11, DType.F32);
    }

    /** Two topics of {@code n} right-padded batches of 2 random sequences of 3 to 9 tokens. */
    private static List<List<Batch>> topics(long seed, int n) {
        Random r = new Random(seed);
        List<List<Batch>> out = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            List<Batch> topic = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                List<int[]> rows = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    rows.add(r.ints(3 + r.nextInt(7), 1, TinyModels.VOCAB).toArray());
                }
                topic.add(Batch.of(rows, 0, Batch.Padding.RIGHT));
            }
            out.add(topic);
        }
        return out;
    }

    private static FalconSettings settings(int epochs) {
        return FalconSettings.builder().layer(LAYER).layers(EDITED).alpha(List.of(10.0, 5.0))
                .steeringCoeff(List.of(5.0, 5.0)).lr(1e-2).batchSize(2).maxBatches(100).epochs(epochs)
                .optimizer("adamw").build();
    }

    /** The edited tensors after a run on {@code path}, from the same model, data and POVs. */
    private static List<float[]> unlearned(FalconSettings s, ActivationPath path) {
        LlamaModel model = model();
        EditedParameters edited = EditedParameters.select(model, EDITED, s.params());
        TrainLog log = new Falcon(s).run(model, edited, topics(1, 3), topics(2, 3), null, path, null);
        assertNull(log.stoppedEarly());
        // min(max batches, epochs * 3 batches), the topics taking turns
        assertEquals(3 * s.epochs(), log.steps().size());
        return edited.tensors().stream().map(t -> t.toFloats()).toList();
    }

    @Test
    void oneEpochRunsPerStepAndRepeatedBatchesUseTheCache() {
        assertEquals(ActivationPath.PER_STEP, new Falcon(settings(1)).path(topics(1, 3), topics(2, 3)));
        // 9 steps: topic 0 has 5 for its 3 batches
        assertEquals(ActivationPath.CACHED, new Falcon(settings(3)).path(topics(1, 3), topics(2, 3)));
        FalconSettings official = FalconSettings.builder().layer(LAYER).layers(EDITED).alpha(List.of(10.0, 5.0))
                .steeringCoeff(List.of(5.0, 5.0)).cache(false).build();
        assertEquals(ActivationPath.FULL_FORWARD, new Falcon(official).path(topics(1, 3), topics(2, 3)));
    }

    @Test
    void everyPathGivesTheSameUnlearnedWeights() {
        for (int epochs : new int[] {1, 3}) {
            FalconSettings s = settings(epochs);
            List<float[]> perStep = unlearned(s, ActivationPath.PER_STEP);
            List<float[]> before = EditedParameters.select(model(), EDITED, s.params()).tensors().stream()
                    .map(t -> t.toFloats()).toList();
            for (ActivationPath other : List.of(ActivationPath.CACHED, ActivationPath.FULL_FORWARD)) {
                List<float[]> weights = unlearned(s, other);
                for (int i = 0; i < weights.size(); i++) {
                    double moved = maxDifference(before.get(i), perStep.get(i));
                    assertTrue(moved > 1e-3, "the run edited tensor " + i + " (moved " + moved + ")");
                    double diff = maxDifference(perStep.get(i), weights.get(i));
                    assertTrue(diff <= 1e-6, other + " vs per step, epochs " + epochs + ", tensor " + i + ": " + diff);
                }
            }
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    @Test
    void theRunRecordNamesThePathThatRan() throws IOException {
        List<Document> forget = List.of(Document.plain("the mill burned in spring"), Document.plain("a red stone"));
        List<Document> retain = List.of(Document.plain("cats sleep a lot"), Document.plain("bread needs yeast"));
        UnlearnInputs inputs = new UnlearnInputs(List.of(forget), List.of(retain), new ByteTokenizer(16));
        for (int epochs : new int[] {1, 3}) {
            FalconSettings s = FalconSettings.builder().layer(1).alpha(List.of(10.0)).steeringCoeff(List.of(5.0))
                    .batchSize(1).epochs(epochs).optimizer("adamw").build();
            UnlearnRun run = new UnlearnRun(Method.FALCON, s);
            RunRecord record = run.record("tiny");
            run.run(TinyModels.create(6), inputs, record, null, outcome -> { });
            Path file = tmp.resolve("run" + epochs + ".json");
            record.write(file);
            JsonNode json = Json.MAPPER.readTree(file.toFile());
            String expected = epochs == 1 ? ActivationPath.PER_STEP.label() : ActivationPath.CACHED.label();
            assertEquals(expected, json.get("activations").asText(), "epochs " + epochs);
        }
    }
}
