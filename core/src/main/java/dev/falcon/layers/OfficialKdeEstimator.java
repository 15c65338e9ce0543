package dev.falcon.layers;

/**
 * The estimator of the official FALCON mutual-information script, reproduced exactly (the
 * default, so that selected layers are comparable with published ones): each matrix gets its own
 * PCA keeping more than 95% of its variance (skipped at 10 columns or fewer), then the
 * resubstitution entropy of a scipy-style Gaussian KDE; I(X;Y) = H(X) + H(Y) - H(X,Y), the joint
 * sample being the first min(n_x, n_y) rows of each paired by index and placed side by side.
 *
 * <p>Because each of the three entropies is computed in its own PCA space of a different
 * dimension, their combination is not a consistent MI estimate and is often negative; see
 * {@link KsgEstimator} for a better-founded alternative. Where the official script returns an
 * entropy of 0 on a singular covariance, this one throws {@link EstimationException}.
 */
public final class OfficialKdeEstimator implements MutualInformationEstimator {

    /** An entropy estimate in nats and the dimension of the (reduced) space it was computed in. */
    public record Entropy(double value, int dims) {
    }

    @Override
    public String name() {
        return "official-pca-kde";
    }

    /** Per-matrix PCA (official rule) then the Gaussian-KDE resubstitution entropy. */
    public Entropy entropy(double[][] x) throws EstimationException {
        Matrices.columns(x);
        Matrices.requireRows(x, 2);
        Matrices.requireFinite(x);
        double[][] reduced = PrincipalComponents.reduce(x);
        return new Entropy(GaussianKde.resubstitutionEntropy(reduced), reduced[0].length);
    }

    /** Unequal row counts: marginals use all rows, the joint the first min(n_x, n_y). */
    @Override
    public MiEstimate estimate(double[][] x, double[][] y) throws EstimationException {
        int n = Math.min(x.length, y.length);
        Entropy hx = labelled("H(X)", x);
        Entropy hy = labelled("H(Y)", y);
        Entropy joint = labelled("H(X,Y)", Matrices.hstack(Matrices.firstRows(x, n), Matrices.firstRows(y, n)));
        return new MiEstimate(hx.value() + hy.value() - joint.value(), hx.value(), hy.value(), joint.value(),
                hx.dims(), hy.dims(), joint.dims());
    }

    private Entropy labelled(String label, double[][] x) throws EstimationException {
        try {
            return entropy(x);
        } catch (EstimationException e) {
            throw new EstimationException(label + ": " + e.getMessage());
        }
    }
}
