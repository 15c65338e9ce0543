package dev.falcon.unlearn;

import dev.falcon.SharedData;
import dev.falcon.engine.Tensor;
import dev.falcon.checkpoint.SafetensorsFile;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading the official-code fixtures under fixtures/falcon, and comparing against them. */
public final class FalconFixtures {

    private FalconFixtures() {
    }

    public static SafetensorsFile open(String name) {
        return SafetensorsFile.open(SharedData.fixtures().resolve("falcon").resolve(name));
    }

    public static Tensor tensor(SafetensorsFile file, String name) {
        return Tensor.of(file.floats(name), file.info(name).shape());
    }

    /** "0.8,1.2": the forget and retain weights of a conflict-resolution branch. */
    static GradientProjection.Weights weights(String csv) {
        String[] w = csv.split(",");
        assertEquals(2, w.length, "weights " + csv);
        return new GradientProjection.Weights(Double.parseDouble(w[0]), Double.parseDouble(w[1]));
    }

    static double maxAbsDiff(Tensor expected, Tensor actual) {
        float[] e = expected.toFloats();
        float[] a = actual.toFloats();
        assertEquals(e.length, a.length, "element count");
        double max = 0;
        for (int i = 0; i < e.length; i++) {
            max = Math.max(max, Math.abs((double) e[i] - a[i]));
        }
        return max;
    }
}
