package dev.falcon.model;

import dev.falcon.checkpoint.ModelLoader;
import dev.falcon.SharedData;
import dev.falcon.engine.Engine;
import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.engine.DType;
import dev.falcon.checkpoint.SafetensorsFile;
import dev.falcon.checkpoint.WeightSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.falcon.model.ModelForwardFixtureTest.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Hugging Face checkpoint under fixtures/hf, loaded as the CLI loads a model folder, against next-token
 * log-probabilities from independent implementations (jlama, and a PyTorch port of transformers' modeling code).
 */
class HfModelFixtureTest {

    /** The fixtures' suggested tolerance for a float32 computation; BF16 weights are compared on their upcast. */
    private static final double TOLERANCE = 1e-4;
    private static final String REFERENCE = "reference.safetensors";

    @TestFactory
    Stream<DynamicTest> logProbabilitiesMatchTheReference() throws IOException {
        List<Path> cases = cases(SharedData.fixtures("hf"));
        assertFalse(cases.isEmpty(), "no case folder with " + REFERENCE + " under fixtures/hf");
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    /** The folders holding a reference, in name order. */
    private static List<Path> cases(Path hf) throws IOException {
        try (Stream<Path> entries = Files.list(hf)) {
            return entries.filter(d -> Files.isRegularFile(d.resolve(REFERENCE))).sorted().toList();
        }
    }

    private static void check(Path dir) {
        try (SafetensorsFile ref = SafetensorsFile.open(dir.resolve(REFERENCE));
             WeightSource source = Checkpoints.open(dir);
             Engine.Guard g = Engine.noGrad()) {
            LlamaModel model = ModelLoader.load(source, DType.F32);
            List<int[]> rows = rows(ref);
            long[] shape = ref.info("logprobs").shape();
            assertArrayEquals(new long[] {rows.size(), rows.get(0).length, model.config().vocabSize()}, shape,
                    "logprobs shape against input_ids and vocab_size");
            float[] expected = ref.floats("logprobs");
            Batch all = Batch.of(rows, 0, Batch.Padding.RIGHT);
            double batched = maxAbsDifference(expected, logProbabilities(model, all), "batched");
            double single = maxAbsDifference(expected, oneRowAtATime(model, rows), "one row at a time");
            System.out.printf("hf/%s (%s): max |logprob difference| batched %.3g, one row at a time %.3g%n",
                    dir.getFileName(), ref.metadata().getOrDefault("reference", "?"), batched, single);
            assertTrue(batched <= TOLERANCE, "batched: max abs difference " + batched + " > " + TOLERANCE);
            assertTrue(single <= TOLERANCE, "one row at a time: max abs difference " + single + " > " + TOLERANCE);
        }
    }

    /** input_ids [B, T] as B full rows. */
    private static List<int[]> rows(SafetensorsFile ref) {
        long[] shape = ref.info("input_ids").shape();
        assertTrue(shape.length == 2 && shape[0] > 0 && shape[1] > 0, "input_ids shape " + Arrays.toString(shape));
        long[] ids = ref.longs("input_ids");
        int width = (int) shape[1];
        List<int[]> rows = new ArrayList<>();
        for (int r = 0; r < shape[0]; r++) {
            rows.add(Arrays.stream(ids, r * width, (r + 1) * width).mapToInt(Math::toIntExact).toArray());
        }
        return rows;
    }

    private static float[] logProbabilities(LlamaModel model, Batch batch) {
        return model.forward(batch, null).logSoftmax(-1).toFloats();
    }

    /** Each row through its own forward, concatenated in row order. */
    private static float[] oneRowAtATime(LlamaModel model, List<int[]> rows) {
        List<float[]> parts = new ArrayList<>();
        for (int[] row : rows) {
            parts.add(logProbabilities(model, Batch.single(row)));
        }
        float[] all = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
