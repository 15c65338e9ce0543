package dev.falcon.unlearn;

import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrincipalOffsetVectorTest {

    @Test
    void officialDependsOnlyOnTheRowSpaceNotOnTheNullSpaceBasis() {
        // 6 rows of rank 3 in D = 10: the thin SVD's last 3 right singular vectors are whichever
        // orthonormal vectors of the 7-dimensional complement LAPACK picks. Put another 3 there.
        Rng rng = new Rng(3);
        Tensor distinct = Tensor.randn(rng, DType.F32, 3, 10);
        Tensor hidden = Tensor.cat(List.of(distinct, distinct.mul(-2)), 0);
        Tensor noise = Tensor.randn(rng, DType.F32, 10, 10);
        Tensor[] usv = hidden.svd();
        Tensor rowSpace = usv[2].narrow(0, 0, 3);
        Tensor complement = Tensor.eye(DType.F32, 10).sub(rowSpace.t().matmul(rowSpace));
        Tensor otherNullVectors = Tensor.randn(rng, DType.F32, 3, 10).matmul(complement).svd()[2];
        Tensor otherVh = Tensor.cat(List.of(rowSpace, otherNullVectors), 0);

        float[] expected = PrincipalOffsetVector.official(hidden, noise).toFloats();
        float[] actual = PrincipalOffsetVector.official(usv[1], otherVh, 6, noise).toFloats();
        assertArrayEquals(expected, actual, 1e-5f);
    }

    @Test
    void officialIsTheSameForABatchAndTheBatchRepeated() {
        // Stacking the rows twice scales every singular value by sqrt(2) and keeps the right
        // singular vectors, so the weights sigmoid(S_i / S_0) and the POV are unchanged. The -1000
        // weights amplify the two SVDs' float32 rounding (up to 9e-5 seen over 200 seeds); keeping
        // the repeated batch's null-space directions, as the official code does, moves it by > 0.1.
        Rng rng = new Rng(5);
        Tensor hidden = Tensor.randn(rng, DType.F32, 4, 12);
        Tensor noise = Tensor.randn(rng, DType.F32, 12, 12);
        float[] once = PrincipalOffsetVector.official(hidden, noise).toFloats();
        float[] twice = PrincipalOffsetVector.official(Tensor.cat(List.of(hidden, hidden), 0), noise).toFloats();
        assertArrayEquals(once, twice, 1e-4f);
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
