package dev.falcon.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tensors the engine takes from JavaCPP containers and tuples (gradients, SVD, sort, .grad()) must own
 * their memory: here they are made outside any scope, the containers are left to the garbage
 * collector, the freed memory is reused by other tensors, and only then are the results read. Before
 * the engine copied them into owned handles this read freed memory (wrong values or a JVM crash).
 */
class TensorOwnershipTest {

    private static final int ROUNDS = 200;

    @Test
    void resultsTakenFromContainersSurviveGarbageCollection() throws InterruptedException {
        List<Runnable> checks = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            checks.add(sortCheck(round));
            checks.add(svdCheck(round));
            checks.add(gradientsCheck(round));
            checks.add(accumulatedGradCheck(round));
        }
        collectAndReuseFreedMemory();
        checks.forEach(Runnable::run);
    }

    /** Keeping a tensor that no scope owns (made outside every scope) must not free it. */
    @Test
    void keepingATensorMadeOutsideEveryScopeLeavesItAlive() {
        Tensor outside = Tensor.of(new float[] {1, 2, 3}, 3);
        try (Engine.Scope scope = Engine.scope()) {
            scope.keep(outside);
        }
        assertArrayEquals(new float[] {1, 2, 3}, outside.toFloats());
    }

    /** Sorted descending, and each index points at the value it came from. */
    private static Runnable sortCheck(int round) {
        int n = 16 + round % 7;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (i * 5 + round) % n;
        }
        Tensor[] sorted = Tensor.of(values, n).sort(0, true);
        return () -> {
            float[] v = sorted[0].toFloats();
            long[] idx = sorted[1].toLongs();
            for (int i = 0; i < n; i++) {
                assertEquals(values[(int) idx[i]], v[i], "round " + round);
                if (i > 0) {
                    assertEquals(true, v[i - 1] >= v[i], "round " + round + ": not descending");
                }
            }
        };
    }

    /** The singular values of a diagonal matrix are its absolute diagonal, largest first. */
    private static Runnable svdCheck(int round) {
        int n = 8;
        float[] a = new float[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = (i % 2 == 0 ? 1 : -1) * (1 + (i * 3 + round) % n);
        }
        Tensor[] usv = Tensor.of(a, n, n).svd();
        return () -> {
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                expected[i] = n - i;
            }
            assertArrayEquals(expected, usv[1].toFloats(), 1e-4f, "round " + round);
            Tensor back = usv[0].mul(usv[1].unsqueeze(0)).matmul(usv[2]);
            assertArrayEquals(a, back.toFloats(), 1e-4f, "round " + round);
        };
    }

    /** d/dx sum(c x^2) = 2 c x, and d/dy sum(y) = 1. */
    private static Runnable gradientsCheck(int round) {
        float[] xs = {1, -2, 3, round};
        Tensor x = Tensor.of(xs, 4).requiresGrad(true);
        Tensor y = Tensor.of(new float[] {7, 8}, 2).requiresGrad(true);
        double c = 0.5 + round;
        Tensor[] grads = x.square().mul(c).sum().add(y.sum()).gradients(List.of(x, y), false);
        return () -> {
            float[] expected = new float[4];
            for (int i = 0; i < 4; i++) {
                expected[i] = (float) (2 * c * xs[i]);
            }
            assertArrayEquals(expected, grads[0].toFloats(), 1e-3f, "round " + round);
            assertArrayEquals(new float[] {1, 1}, grads[1].toFloats(), "round " + round);
        };
    }

    /** After backward, .grad() of sum(3 x) is 3 everywhere, also once x is gone. */
    private static Runnable accumulatedGradCheck(int round) {
        Tensor x = Tensor.of(new float[] {round, 1, 2}, 3).requiresGrad(true);
        x.mul(3).sum().backward();
        Tensor grad = x.grad();
        return () -> assertArrayEquals(new float[] {3, 3, 3}, grad.toFloats(), "round " + round);
    }

    /** Lets the collector free the unreachable containers, then fills the freed memory with other values. */
    private static void collectAndReuseFreedMemory() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        List<Tensor> filler = new ArrayList<>();
        for (int i = 0; i < 4 * ROUNDS; i++) {
            filler.add(Tensor.full(DType.F32, -12345, 16 + i % 64));
        }
        assertEquals(4 * ROUNDS, filler.size());
    }
}
