package dev.falcon.layers;

/**
 * A mutual-information or entropy estimate that could not be computed for statistical reasons
 * (singular covariance, too few samples, non-finite activations). Layer selection reports the
 * message for the affected layer and leaves that layer out of the argmin, instead of silently
 * scoring it 0 as the official script does.
 */
public class EstimationException extends Exception {

    public EstimationException(String message) {
        super(message);
    }
}
