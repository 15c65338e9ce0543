package dev.falcon.unlearn;

import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;

import java.util.Arrays;

/**
 * The Principal Offset Vector (POV): the unit direction that forget activations are pulled towards,
 * built from the principal directions of one forget batch's activations at the target layer. All
 * math is in float32; the result is a [D] vector to broadcast over every token.
 */
public final class PrincipalOffsetVector {

    /** The official code keeps at most this many principal directions. */
    public static final int MAX_DIRECTIONS = 1000;
    private static final double OFFICIAL_WEIGHT_SCALE = -1000.0;
    private static final double NOISE_SCALE = 0.01;
    private static final int OFFICIAL_ROUNDS = 6;
    private static final double NORM_EPS = 1e-6;
    /** torch.linalg.matrix_rank's default: singular values below S_0 * max(m, n) * eps are zero. */
    private static final double FLOAT32_EPS = Math.ulp(1.0f);

    private PrincipalOffsetVector() {
    }

    /** The official POV, with its D x D standard-normal noise drawn from rng. */
    public static Tensor official(Tensor hidden, Rng rng) {
        long d = hidden.size(-1);
        return official(hidden, Tensor.randn(rng, DType.F32, d, d));
    }

    /**
     * The official POV for activations [B, T, D] (or [N, D]) and a given standard-normal noise [D, D].
     * P = I - sum_i w_i v_i v_i^T with w_i = -1000 sigmoid(S_i / S_0), which amplifies the principal
     * subspace; P = tanh(P + 0.01 N); from r = ones / sqrt(D), six rounds of r = tanh(r P) / (|.| + 1e-6).
     *
     * <p>The official code keeps every right singular vector, min(1000, B*T, D) of them. Here only those
     * within the numerical rank count (singular value above torch's matrix_rank tolerance,
     * S_0 * max(B*T, D) * float32 eps): on a rank-deficient batch (repeated rows, padding) the others are
     * arbitrary null-space vectors that differ between CPUs and LAPACK builds, each weighted about -500,
     * so keeping them made the POV machine-dependent. The result depends only on the batch's row space
     * and equals the official code's on every full-rank batch.
     */
    public static Tensor official(Tensor hidden, Tensor noise) {
        Tensor rows = rows(hidden);
        Tensor[] usv = rows.svd();
        return official(usv[1], usv[2], rows.size(0), noise);
    }

    /**
     * The official POV from the thin SVD of the [rows, D] activation matrix: its singular values s
     * (descending) and right singular vectors vh (one per row). Rows of vh whose singular value is
     * at or below the numerical-rank tolerance are ignored, so any orthonormal basis may fill them.
     */
    static Tensor official(Tensor s, Tensor vh, long rows, Tensor noise) {
        long d = vh.size(1);
        if (!Arrays.equals(noise.shape(), new long[] {d, d})) {
            throw new IllegalArgumentException("noise must be [" + d + ", " + d + "], got "
                    + Arrays.toString(noise.shape()));
        }
        int k = (int) Math.min(MAX_DIRECTIONS, numericalRank(s, rows, d));
        Tensor kept = s.narrow(0, 0, k);
        Tensor weights = kept.div(s.select(0, 0)).sigmoid().mul(OFFICIAL_WEIGHT_SCALE);
        Tensor p = Tensor.eye(DType.F32, d).sub(weightedProjector(vh.narrow(0, 0, k), weights))
                .add(noise.to(DType.F32).mul(NOISE_SCALE)).tanh();
        Tensor r = Tensor.full(DType.F32, 1.0 / Math.sqrt(d), d);
        for (int i = 0; i < OFFICIAL_ROUNDS; i++) {
            r = r.matmul(p).tanh();
            r = r.div(r.norm().add(NORM_EPS));
        }
        return r;
    }

    /**
     * The paper's POV: r random standard normal (drawn from rng), P = I - weight * sum_i v_i v_i^T
     * over the principal directions (weight 1 removes the principal subspace exactly), r = tanh(r P)
     * normalised. As in {@link #official}, only directions within the numerical rank count as
     * principal, so a rank-deficient batch adds no arbitrary direction.
     */
    public static Tensor paper(Tensor hidden, double weight, Rng rng) {
        Tensor rows = rows(hidden);
        long d = rows.size(1);
        Tensor[] usv = rows.svd();
        int k = (int) Math.min(MAX_DIRECTIONS, numericalRank(usv[1], rows.size(0), d));
        Tensor v = usv[2].narrow(0, 0, k);
        Tensor p = Tensor.eye(DType.F32, d).sub(v.t().matmul(v).mul(weight));
        Tensor r = Tensor.randn(rng, DType.F32, d).matmul(p).tanh();
        return r.div(r.norm());
    }

    /** sum_i w_i v_i v_i^T for the rows v_i of vh. */
    private static Tensor weightedProjector(Tensor vh, Tensor weights) {
        return vh.t().matmul(vh.mul(weights.unsqueeze(1)));
    }

    private static long numericalRank(Tensor singularValues, long rows, long columns) {
        double tolerance = singularValues.select(0, 0).item() * Math.max(rows, columns) * FLOAT32_EPS;
        return singularValues.gt(tolerance).sum().itemLong();
    }

    /** Activations as a float32 [N, D] matrix, one row per token. */
    private static Tensor rows(Tensor hidden) {
        if (hidden.dim() < 2 || hidden.numel() == 0) {
            throw new IllegalArgumentException("activations must be a non-empty [B, T, D] or [N, D] tensor, got "
                    + Arrays.toString(hidden.shape()));
        }
        long d = hidden.size(-1);
        return hidden.to(DType.F32).reshape(hidden.numel() / d, d);
    }
}
