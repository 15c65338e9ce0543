package dev.falcon.layers;

/** Estimates the mutual information between two sample matrices (rows = samples). */
public interface MutualInformationEstimator {

    /** Short identifier written into layers.json. */
    String name();

    /**
     * Estimates I(X;Y). Rows of x and y are paired by index; implementations state how they treat
     * unequal row counts.
     *
     * @throws EstimationException when the data do not allow an estimate (the message says why)
     * @throws IllegalArgumentException when a matrix is empty or ragged (a programming error)
     */
    MiEstimate estimate(double[][] x, double[][] y) throws EstimationException;
}
