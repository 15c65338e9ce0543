package dev.falcon.unlearn;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;

import java.util.Arrays;

/**
 * FALCON's orthogonal gradient conflict resolution, applied to each edited tensor on its own: when
 * the forget gradient g_F points against the retain gradient g_R (negative cosine), g_F loses its
 * component along g_R before the two are mixed, so that forgetting does not undo retention.
 */
public final class GradientProjection {

    /** How much of the (projected) forget gradient and of the retain gradient to mix. */
    public record Weights(double forget, double retain) {
    }

    /** Combined gradient of one tensor, and the cosine of its two gradients that chose the branch. */
    public record Combined(Tensor gradient, double cosine) {
    }

    public static final Weights OFFICIAL_CONFLICT = new Weights(0.8, 1.2);
    public static final Weights OFFICIAL_ALIGN = new Weights(0.1, 1.9);

    private final Weights conflict;
    private final Weights align;

    public GradientProjection(Weights conflict, Weights align) {
        this.conflict = conflict;
        this.align = align;
    }

    /**
     * cos(g_F, g_R) < 0: g = w_F (g_F - (g_F.g_R / |g_R|^2) g_R) + w_R g_R with the conflict weights;
     * otherwise, a zero g_R included (its cosine is 0), g = a_F g_F + a_R g_R with the align weights.
     */
    public Combined combine(Tensor forget, Tensor retain) {
        if (!Arrays.equals(forget.shape(), retain.shape())) {
            throw new IllegalArgumentException("gradients differ in shape: " + Arrays.toString(forget.shape())
                    + " and " + Arrays.toString(retain.shape()));
        }
        double[] cosine = new double[1];
        // only the combined gradient outlives this: the temporaries of one parameter go before the next's
        Tensor[] combined = Engine.within(() -> {
            Tensor f = forget.reshape(-1);
            Tensor r = retain.reshape(-1);
            cosine[0] = f.cosineSimilarity(r, 0).item();
            if (cosine[0] < 0) {
                Tensor projected = forget.sub(retain.mul(f.dot(r).div(r.dot(r))));
                return new Tensor[] {mix(conflict, projected, retain)};
            }
            return new Tensor[] {mix(align, forget, retain)};
        });
        return new Combined(combined[0], cosine[0]);
    }

    private static Tensor mix(Weights w, Tensor forget, Tensor retain) {
        return forget.mul(w.forget()).add(retain.mul(w.retain()));
    }
}
