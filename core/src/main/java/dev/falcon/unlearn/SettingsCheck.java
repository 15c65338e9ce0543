package dev.falcon.unlearn;

import dev.falcon.InputException;

import java.util.List;

/** The validation every method's settings share; each failure is an InputException naming the setting. */
final class SettingsCheck {

    private SettingsCheck() {
    }

    static void require(boolean ok, String problem) {
        if (!ok) {
            throw new InputException(problem);
        }
    }

    static void common(List<Integer> layers, List<String> params, double lr, int batchSize, int maxBatches,
                       int epochs) {
        require(!layers.isEmpty() && layers.stream().allMatch(l -> l >= 0),
                "layers must name at least one layer, each >= 0, got " + layers);
        require(!params.isEmpty(), "params must name at least one matrix (e.g. mlp.down_proj)");
        require(lr > 0 && Double.isFinite(lr), "lr (learning rate) must be a positive number, got " + lr);
        require(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
        require(maxBatches >= 1, "max batches must be at least 1, got " + maxBatches);
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
    }

    /** What FALCON and RMU check beyond {@link #common}. */
    static void atLayer(int layer, List<Integer> layers, List<Double> alpha, List<Double> steeringCoeff,
                        String method) {
        editedAtOrBelow(layers, layer, method);
        perTopicValues(alpha, "alpha");
        perTopicValues(steeringCoeff, "steering coefficients");
    }

    /** The methods that read activations at l* can only be moved by blocks at or below it. */
    private static void editedAtOrBelow(List<Integer> layers, int layer, String method) {
        require(layer >= 0, "layer must be >= 0, got " + layer);
        for (int l : layers) {
            require(l <= layer, "edited layer " + l + " is above the loss layer " + layer
                    + ": its weights cannot change the activations " + method + " compares");
        }
    }

    private static void perTopicValues(List<Double> values, String setting) {
        require(!values.isEmpty() && values.stream().allMatch(Double::isFinite),
                setting + " needs at least one number, got " + values);
    }
}
