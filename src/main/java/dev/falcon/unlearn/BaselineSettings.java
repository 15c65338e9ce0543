package dev.falcon.unlearn;

import dev.falcon.InputException;

import java.util.List;

/**
 * Every knob of the baselines (RMU, GA, GradDiff, NPO, SimNPO); each method reads the ones it uses.
 * All train the parameters they are handed with AdamW (PyTorch's defaults besides lr). Steps
 * interleave topics as FALCON's do (step k: topic k mod n, that topic's batch k div n), and number
 * min(maxBatches, epochs * shortest forget list); retain batches are reused from the start of their
 * list when a retain set is shorter.
 *
 * @param maxBatches     cap on the number of steps (FALCON's and RMU's max_num_batches)
 * @param epochs         passes over the forget batches (NPO and SimNPO are usually run for several)
 * @param maxLengths     truncation length of the first topic and of the others, BOS included
 * @param maskPadding    RMU averages over real tokens only (false: the official mean over padding too);
 *                       the likelihood losses never count padding
 * @param layer          RMU: the layer whose activations the loss reads (edited blocks must be at or below it)
 * @param alpha          RMU: retain weight per topic (one value applies to every topic)
 * @param steeringCoeff  RMU: norm c of the control vector c * u per topic
 * @param npoBeta        NPO's inverse temperature beta
 * @param simNpoBeta     SimNPO's beta
 * @param simNpoGamma    SimNPO's reward margin gamma
 * @param forgetWeight   weight of the forget term of GA, GradDiff, NPO and SimNPO
 * @param retainWeight   weight of the retain LM loss of GradDiff, NPO and SimNPO (0: plain NPO / SimNPO;
 *                       positive: NPO+RT); GA never uses retain data
 */
public record BaselineSettings(
        double lr,
        int batchSize,
        int maxBatches,
        int epochs,
        List<Integer> maxLengths,
        long seed,
        boolean maskPadding,
        int layer,
        List<Double> alpha,
        List<Double> steeringCoeff,
        double npoBeta,
        double simNpoBeta,
        double simNpoGamma,
        double forgetWeight,
        double retainWeight) {

    /** NPO's beta (Zhang et al. 2024). */
    public static final double NPO_BETA = 0.1;
    /** SimNPO's beta and gamma for TOFU forget05 in its official code (Fan et al. 2024). */
    public static final double SIMNPO_BETA = 2.5;
    public static final double SIMNPO_GAMMA = 0.0;

    public BaselineSettings {
        require(lr > 0 && Double.isFinite(lr), "learning rate must be a positive number, got " + lr);
        require(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
        require(maxBatches >= 1, "max batches must be at least 1, got " + maxBatches);
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(!maxLengths.isEmpty() && maxLengths.stream().allMatch(n -> n >= 2),
                "max lengths must be at least 2 tokens (BOS and one target), got " + maxLengths);
        require(layer >= 0, "layer must be >= 0, got " + layer);
        require(!alpha.isEmpty() && !steeringCoeff.isEmpty(), "alpha and steering coefficients need a value each");
        require(npoBeta > 0 && simNpoBeta > 0, "beta must be positive, got " + npoBeta + " and " + simNpoBeta);
        require(Double.isFinite(simNpoGamma), "gamma must be a number, got " + simNpoGamma);
        require(forgetWeight >= 0 && retainWeight >= 0, "loss weights must be >= 0, got " + forgetWeight + " and "
                + retainWeight);
        maxLengths = List.copyOf(maxLengths);
        alpha = List.copyOf(alpha);
        steeringCoeff = List.copyOf(steeringCoeff);
    }

    /**
     * The official RMU code's settings where they apply (lr 5e-5, batch 4, 80 batches, lengths
     * 512 / 768, layer 7, alpha 100, c 20), NPO beta 0.1, SimNPO beta 2.5 and gamma 0, one epoch,
     * padding masked, forget and retain weights 1 (GradDiff; NPO+RT and SimNPO with a retain loss).
     */
    public static BaselineSettings defaults() {
        return new BaselineSettings(5e-5, 4, 80, 1, List.of(512, 768), 42, true, 7, List.of(100.0),
                List.of(20.0), NPO_BETA, SIMNPO_BETA, SIMNPO_GAMMA, 1.0, 1.0);
    }

    /** Truncation length of topic i: the first value for topic 0, the second (or the only) for the others. */
    public int maxLength(int topic) {
        return maxLengths.get(Math.min(topic, maxLengths.size() - 1));
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new InputException(problem);
        }
    }
}
