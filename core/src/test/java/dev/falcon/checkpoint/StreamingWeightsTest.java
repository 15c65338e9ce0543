package dev.falcon.checkpoint;

import dev.falcon.ByteTokenizer;
import dev.falcon.data.Document;
import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.RandomModel;
import dev.falcon.model.Sampler;
import dev.falcon.model.TextGenerator;
import dev.falcon.unlearn.FalconSettings;
import dev.falcon.unlearn.Method;
import dev.falcon.unlearn.UnlearnInputs;
import dev.falcon.unlearn.UnlearnRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A model whose blocks stream (a budget below one block) computes exactly what the same checkpoint computes
 * with every block resident: the same ops run on the same values in the same order, so in F32 the logits,
 * the generated tokens and the weights an unlearning run leaves are bit-identical.
 */
class StreamingWeightsTest {

    private static final LlamaConfig CONFIG = new LlamaConfig("LlamaForCausalLM", 32, 64, 4, 4, 2, 8,
            ByteTokenizer.VOCAB, 1e-5, 10000.0, null, false, false, 64, "float32", 1, 2, 0);
    private static final long STREAM = 1;
    private static final long RESIDENT = Long.MAX_VALUE;

    @TempDir
    Path tmp;

    /** The random model written as a checkpoint in {@code stored}. */
    private Path checkpoint(DType stored) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(stored.name()));
        HfCheckpointWriter.write(RandomModel.create(CONFIG, 3, DType.F32), null, Set.of(), stored, Map.of(), dir);
        return dir;
    }

    private static <T> T withModel(Path dir, long budget, Function<LlamaModel, T> f) {
        try (WeightSource source = Checkpoints.open(dir)) {
            MappedWeights weights = ModelLoader.weights(source, DType.F32, budget);
            assertEquals(budget == STREAM ? 0 : CONFIG.numLayers(), weights.stayingBlocks(), weights.plan());
            return f.apply(new LlamaModel(CONFIG, weights));
        }
    }

    private static Batch batch() {
        return Batch.of(List.of(new int[] {1, 40, 41, 42, 43, 44, 45}, new int[] {1, 50, 51}), 0, Batch.Padding.RIGHT);
    }

    /** Logits of a padded batch, every hidden state, and 10 greedy tokens through the KV cache, as floats. */
    private static List<float[]> forwardPaths(LlamaModel model) {
        List<float[]> out = new ArrayList<>();
        try (Engine.Guard g = Engine.noGrad(); Engine.Scope s = Engine.scope()) {
            out.add(model.forward(batch(), null).toFloats());
            model.hiddenStates(batch()).forEach(h -> out.add(h.toFloats()));
            out.add(model.forwardCapturing(batch(), 1).hidden().toFloats());
        }
        int[] tokens = new TextGenerator(model).generate(new int[] {1, 60, 61}, 13, new Sampler(0, 1, 0), new int[0],
                t -> { });
        float[] generated = new float[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            generated[i] = tokens[i];
        }
        out.add(generated);
        return out;
    }

    @Test
    void streamedBlocksGiveBitIdenticalLogitsHiddenStatesAndGenerations() throws IOException {
        for (DType stored : new DType[] {DType.F32, DType.BF16}) {
            Path dir = checkpoint(stored);
            List<float[]> resident = withModel(dir, RESIDENT, StreamingWeightsTest::forwardPaths);
            List<float[]> streamed = withModel(dir, STREAM, StreamingWeightsTest::forwardPaths);
            assertEquals(resident.size(), streamed.size());
            for (int i = 0; i < resident.size(); i++) {
                assertArrayEquals(resident.get(i), streamed.get(i), stored + ", output " + i);
            }
        }
    }

    private static Map<String, float[]> unlearned(LlamaModel base, boolean cache) {
        ByteTokenizer tok = new ByteTokenizer();
        List<Document> forget = List.of(Document.plain("the mill burned in spring"), Document.plain("a red stone"));
        List<Document> retain = List.of(Document.plain("cats sleep a lot"), Document.plain("bread needs yeast"));
        FalconSettings s = FalconSettings.builder().layer(2).alpha(List.of(10.0)).steeringCoeff(List.of(5.0))
                .lr(1e-2).batchSize(1).maxBatches(2).cache(cache).optimizer("adamw").build();
        UnlearnRun run = new UnlearnRun(Method.FALCON, s);
        UnlearnRun.Outcome o = run.run(base, new UnlearnInputs(List.of(forget), List.of(retain), tok),
                run.record("tiny"), null, outcome -> { });
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (String name : base.paramNames()) {
            out.put(name, o.model().param(name).toFloats());
        }
        return out;
    }

    @Test
    void streamedBlocksGiveBitIdenticalUnlearnedWeights() throws IOException {
        Path dir = checkpoint(DType.F32);
        for (boolean cache : new boolean[] {true, false}) {
            Map<String, float[]> resident = withModel(dir, RESIDENT, m -> unlearned(m, cache));
            Map<String, float[]> streamed = withModel(dir, STREAM, m -> unlearned(m, cache));
            String down = LlamaModel.layerParam(2, "mlp.down_proj.weight");
            float[] before = withModel(dir, RESIDENT, m -> m.param(down).toFloats());
            assertFalse(java.util.Arrays.equals(before, resident.get(down)), "the run edited " + down);
            for (String name : resident.keySet()) {
                assertArrayEquals(resident.get(name), streamed.get(name), name + ", cache " + cache);
            }
        }
    }
}
