package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;
import dev.falcon.checkpoint.SafetensorsFile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrincipalOffsetVectorFixtureTest {

    @Test
    void officialMatchesTheOfficialCode() {
        try (SafetensorsFile f = FalconFixtures.open("pov.safetensors")) {
            Tensor hidden = FalconFixtures.tensor(f, "hidden_states");
            long d = hidden.size(-1);
            long rows = hidden.numel() / d;
            // The official code keeps null-space directions too, so its output is only
            // reproducible, and comparable, on a full-rank batch.
            assertEquals(Math.min(rows, d), Long.parseLong(f.metadata().get("rank")),
                    "the fixture's batch must have full rank");
            Tensor expected = FalconFixtures.tensor(f, "steering_vector").reshape(-1);
            Tensor pov = PrincipalOffsetVector.official(hidden, FalconFixtures.tensor(f, "noise"));
            double err = FalconFixtures.maxAbsDiff(expected, pov);
            System.out.printf("POV max abs error %.3e over %d rows, D = %d%n", err, rows, d);
            assertTrue(err < 1e-5, "max abs error " + err);
        }
    }
}
