package dev.falcon.unlearn;

import dev.falcon.checkpoint.SafetensorsFile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official code's per-tensor conflict resolution (fixtures/falcon/conflict.safetensors). */
class GradientProjectionFixtureTest {

    @Test
    void matchesTheOfficialCodeInEveryBranch() {
        // The public fixture holds a conflicting pair, an aligned pair and a zero retain gradient; every pair
        // the file's cosine list names is checked.
        try (SafetensorsFile f = FalconFixtures.open("conflict.safetensors")) {
            GradientProjection projection = new GradientProjection(
                    FalconFixtures.weights(f.metadata().get("conflict_weights")),
                    FalconFixtures.weights(f.metadata().get("align_weights")));
            float[] cosines = f.floats("cosine");
            assertTrue(cosines.length > 0, "the fixture holds no gradient pair");
            for (int i = 0; i < cosines.length; i++) {
                GradientProjection.Combined c = projection.combine(FalconFixtures.tensor(f, "unlearn." + i),
                        FalconFixtures.tensor(f, "retain." + i));
                double err = FalconFixtures.maxAbsDiff(FalconFixtures.tensor(f, "combined." + i), c.gradient());
                System.out.printf("conflict %d: cosine %.6f (expected %.6f), max abs error %.3e%n",
                        i, c.cosine(), cosines[i], err);
                assertEquals(cosines[i], c.cosine(), 1e-6);
                assertTrue(err < 1e-5, "tensor " + i + ": max abs error " + err);
            }
        }
    }
}
