package dev.falcon.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.SharedData;
import dev.falcon.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Compares the official estimator with the outputs of the official FALCON MI script (scikit-learn
 * PCA + scipy gaussian_kde, float64) on stored float32 activations: fixtures/mi.
 */
class MiFixtureTest {

    private static final double RELATIVE_TOLERANCE = 1e-6;

    @Test
    void officialEstimatorReproducesReferenceScript() throws IOException {
        Path dir = SharedData.fixtures().resolve("mi");
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        Map<Integer, double[][]> forget = new TreeMap<>();
        Map<Integer, double[][]> retain = new TreeMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("activations.safetensors"))) {
            for (Iterator<String> it = expected.get("layers").fieldNames(); it.hasNext(); ) {
                int layer = Integer.parseInt(it.next());
                forget.put(layer, matrix(file, "forget.layer" + layer));
                retain.put(layer, matrix(file, "retain.layer" + layer));
            }
        }
        LayerSelectionResult result = new LayerSelection(new OfficialKdeEstimator()).select(forget, retain);

        double maxRelativeError = 0;
        for (LayerScore score : result.layers()) {
            JsonNode want = expected.get("layers").get(Integer.toString(score.layer()));
            MiEstimate got = score.primary();
            maxRelativeError = Math.max(maxRelativeError, compare(want, "mutual_information", score.mi()));
            maxRelativeError = Math.max(maxRelativeError, compare(want, "h_forget", got.hX()));
            maxRelativeError = Math.max(maxRelativeError, compare(want, "h_retain", got.hY()));
            maxRelativeError = Math.max(maxRelativeError, compare(want, "h_joint", got.hJoint()));
            assertEquals(want.get("pca_components_forget").asInt(), got.dimsX(), "layer " + score.layer());
            assertEquals(want.get("pca_components_retain").asInt(), got.dimsY(), "layer " + score.layer());
            assertEquals(want.get("pca_components_joint").asInt(), got.dimsJoint(), "layer " + score.layer());
        }
        System.out.printf("MiFixtureTest: max relative error over %d layers = %.3g%n", result.layers().size(),
                maxRelativeError);
        assertEquals(expected.get("layers").size(), result.layers().size());
        assertEquals(expected.get("best_layer").asInt(), result.selected().getAsInt());
    }

    private static double compare(JsonNode want, String field, double got) {
        double expected = want.get(field).asDouble();
        double relative = Math.abs(got - expected) / Math.abs(expected);
        assertTrue(relative <= RELATIVE_TOLERANCE, field + ": expected " + expected + ", got " + got);
        return relative;
    }

    private static double[][] matrix(SafetensorsFile file, String name) {
        long[] shape = file.info(name).shape();
        assertEquals(2, shape.length, name + " shape");
        float[] data = file.floats(name);
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = data[i * cols + j];
            }
        }
        return m;
    }
}
