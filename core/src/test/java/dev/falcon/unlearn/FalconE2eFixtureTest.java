package dev.falcon.unlearn;

import dev.falcon.SharedData;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.checkpoint.Llama2cCheckpoint;
import dev.falcon.checkpoint.SafetensorsFile;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.TrainLog;
import dev.falcon.checkpoint.ModelLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official execute_unlearning on stories260K (fixtures/e2e), reproduced by both computation paths. */
class FalconE2eFixtureTest {

    /** Cosines whose sign is compared: farther from 0 than rounding can move them. */
    private static final double CLEAR_COSINE = 0.05;

    @Test
    void perStepPathReproducesOfficialRun() {
        reproduce(ActivationPath.PER_STEP);
    }

    @Test
    void cachedPathReproducesOfficialRun() {
        reproduce(ActivationPath.CACHED);
    }

    @Test
    void fullForwardPathReproducesOfficialRun() {
        reproduce(ActivationPath.FULL_FORWARD);
    }

    private void reproduce(ActivationPath path) {
        Path file = SharedData.fixtures().resolve("e2e/falcon_stories260K.safetensors");
        Path bin = SharedData.data().resolve("models/stories260K/stories260K.bin");
        try (SafetensorsFile ref = SafetensorsFile.open(file); Llama2cCheckpoint src = Llama2cCheckpoint.open(bin)) {
            LlamaModel model = ModelLoader.load(src, DType.F32);
            Map<String, String> meta = ref.metadata();
            int steps = Integer.parseInt(meta.get("steps"));
            List<Integer> layers = Arrays.stream(meta.get("layer_ids").split(",")).map(Integer::valueOf).toList();
            for (int l : layers) {
                assertClose(ref.floats("initial.layers." + l + ".feed_forward.w2.weight"),
                        model.param(LlamaModel.layerParam(l, "mlp.down_proj.weight")).toFloats(), 0, 1.0);
            }
            int batchSize = (int) ref.info("forget.topic0.batch0").shape()[0];
            FalconSettings s = FalconSettings.builder().layer(Integer.parseInt(meta.get("layer_id"))).layers(layers)
                    .alpha(numbers(meta.get("alpha"))).steeringCoeff(numbers(meta.get("steering_coeffs")))
                    .lr(Double.parseDouble(meta.get("lr"))).batchSize(batchSize).maxBatches(steps).seed(0)
                    .maskPadding(false).cache(path != ActivationPath.FULL_FORWARD).temperature(Double.parseDouble(meta.get("temperature")))
                    .conflictWeights(FalconFixtures.weights(meta.get("conflict_weights")))
                    .alignWeights(FalconFixtures.weights(meta.get("align_weights"))).build();
            List<Tensor> steering = new ArrayList<>();
            for (int k = 0; k < steps; k++) {
                steering.add(FalconFixtures.tensor(ref, "steering_vector.step" + k));
            }
            EditedParameters edited = EditedParameters.select(model, layers, s.params());
            TrainLog result = new Falcon(s).run(model, edited, batches(ref, "forget"), batches(ref, "retain"),
                    steering, path, null);
            assertNull(result.stoppedEarly());
            assertEquals(steps, result.steps().size());
            compareLosses(ref, result, path.label());
        }
    }

    /**
     * Step 0 runs on the unedited model, so its losses match the official run's within the fixtures' 1e-5
     * relative (the retention loss of two identical models is 0). Known gap (see the README): there the edited
     * and frozen models are identical, so g_R is rounding noise; the official run's cos(g_F, g_R) came out
     * negative, and its projection removed a few percent of g_F along that noise direction, which no other
     * implementation reproduces. Later steps therefore agree only approximately, but their gradients conflict
     * (or align) as in the official run's grad_cosine [steps, params].
     */
    private static void compareLosses(SafetensorsFile ref, TrainLog result, String path) {
        float[] forgetLoss = ref.floats("unlearn_loss");
        float[] retainLoss = ref.floats("retain_loss");
        float[] cosines = ref.floats("grad_cosine");
        double[] worst = new double[3];
        for (int k = 0; k < result.steps().size(); k++) {
            TrainLog.Step step = result.steps().get(k);
            double forget = step.losses().get(Falcon.FORGET_LOSS);
            double retain = step.losses().get(Falcon.RETAIN_LOSS);
            if (k == 0) {
                worst[0] = Math.abs(forget - forgetLoss[0]) / forgetLoss[0];
                assertEquals(forgetLoss[0], forget, 1e-5 * forgetLoss[0], "forget loss 0");
                assertEquals(retainLoss[0], retain, 1e-7, "retain loss 0");
                continue;
            }
            worst[1] = Math.max(worst[1], Math.abs(forget - forgetLoss[k]) / forgetLoss[k]);
            worst[2] = Math.max(worst[2], Math.abs(retain - retainLoss[k]) / retainLoss[k]);
            assertEquals(forgetLoss[k], forget, 5e-3 * forgetLoss[k], "forget loss " + k);
            assertEquals(retainLoss[k], retain, 0.5 * retainLoss[k], "retain loss " + k);
            double[] ours = step.cosines();
            for (int p = 0; p < ours.length; p++) {
                double official = cosines[k * ours.length + p];
                // a cosine near 0 is dominated by rounding and may take either sign on another CPU
                if (Math.abs(official) > CLEAR_COSINE) {
                    assertEquals(Math.signum(official), Math.signum(ours[p]),
                            "sign of the gradient cosine of parameter " + p + " at step " + k);
                }
            }
        }
        System.out.printf("e2e (%s): step-0 forget loss within %.2g relative; later steps: forget loss within %.2g"
                + " relative, retain loss within %.2g%n", path, worst[0], worst[1], worst[2]);
    }

    /** "100,100" as a list of numbers. */
    private static List<Double> numbers(String csv) {
        return Arrays.stream(csv.split(",")).map(Double::valueOf).toList();
    }

    private static List<List<Batch>> batches(SafetensorsFile ref, String kind) {
        List<List<Batch>> topics = new ArrayList<>();
        for (int t = 0; ref.contains(kind + ".topic" + t + ".batch0"); t++) {
            List<Batch> list = new ArrayList<>();
            for (int b = 0; ref.contains(kind + ".topic" + t + ".batch" + b); b++) {
                String name = kind + ".topic" + t + ".batch" + b;
                long[] shape = ref.info(name).shape();
                long[] ids = ref.longs(name);
                long[] ones = new long[ids.length];
                Arrays.fill(ones, 1);
                int[] lengths = new int[(int) shape[0]];
                Arrays.fill(lengths, (int) shape[1]);
                list.add(new Batch(Tensor.ofLongs(ids, shape), Tensor.ofLongs(ones, shape), lengths));
            }
            topics.add(list);
        }
        return topics;
    }

    /** At least {@code fraction} of the elements within tol. */
    private static void assertClose(float[] expected, float[] actual, double tol, double fraction) {
        assertEquals(expected.length, actual.length);
        int ok = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            worst = Math.max(worst, d);
            if (d <= tol) {
                ok++;
            }
        }
        assertTrue(ok >= fraction * expected.length, ok + "/" + expected.length + " within " + tol
                + " (max difference " + worst + ")");
    }
}
