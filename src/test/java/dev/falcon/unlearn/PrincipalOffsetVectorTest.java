package dev.falcon.unlearn;

import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.io.DType;
import dev.falcon.io.SafetensorsFile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrincipalOffsetVectorTest {

    @Test
    void officialMatchesTheOfficialCodeOnARankDeficientBatch() {
        try (SafetensorsFile f = FalconFixtures.open("pov.safetensors")) {
            Tensor expected = FalconFixtures.tensor(f, "steering_vector").reshape(-1);
            Tensor pov = PrincipalOffsetVector.official(FalconFixtures.tensor(f, "hidden_states"),
                    FalconFixtures.tensor(f, "noise"));
            double err = FalconFixtures.maxAbsDiff(expected, pov);
            System.out.printf("POV max abs error %.3e%n", err);
            // The 48 activation rows have rank 47; keeping only 47 directions gives errors near 0.28.
            assertTrue(err < 1e-5, "max abs error " + err);
        }
    }

    @Test
    void officialIsAUnitVectorAndReproducibleFromTheSeed() {
        Tensor hidden = Tensor.randn(new Rng(1), DType.F32, 2, 5, 8);
        Tensor a = PrincipalOffsetVector.official(hidden, new Rng(7));
        Tensor b = PrincipalOffsetVector.official(hidden, new Rng(7));
        assertArrayEquals(a.toFloats(), b.toFloats());
        assertEquals(1.0, a.norm().item(), 1e-5);
    }

    @Test
    void paperRemovesThePrincipalSubspaceBeforeTheNonlinearity() {
        // Every row lies along e_0 (rank 1), so with weight 1, P = I - e_0 e_0^T and
        // r = tanh(r0 P) = (0, tanh r0_1, tanh r0_2), normalised, r0 the same seed's first draw.
        Tensor hidden = Tensor.of(new float[] {2, 0, 0, -1, 0, 0, 3, 0, 0, 5, 0, 0}, 1, 4, 3);
        float[] r0 = Tensor.randn(new Rng(11), DType.F32, 3).toFloats();
        double y = Math.tanh(r0[1]);
        double z = Math.tanh(r0[2]);
        double n = Math.hypot(y, z);
        float[] pov = PrincipalOffsetVector.paper(hidden, 1.0, new Rng(11)).toFloats();
        assertArrayEquals(new float[] {0, (float) (y / n), (float) (z / n)}, pov, 1e-6f);
    }

    @Test
    void noiseOfTheWrongShapeIsRejected() {
        Tensor hidden = Tensor.zeros(DType.F32, 1, 2, 4);
        assertThrows(IllegalArgumentException.class,
                () -> PrincipalOffsetVector.official(hidden, Tensor.zeros(DType.F32, 3, 3)));
    }
}
