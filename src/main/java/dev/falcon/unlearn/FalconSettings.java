package dev.falcon.unlearn;

import java.util.ArrayList;
import java.util.List;

/**
 * Every knob of a FALCON run; {@link #official()} gives the official code's defaults.
 *
 * @param layer          l*, the layer whose activations the losses compare
 * @param layers         the blocks whose matrices are edited (all at or below l*)
 * @param params         which matrices of each block, as suffixes such as "mlp.down_proj"
 * @param alpha          retention weight per topic (one value applies to every topic)
 * @param steeringCoeff  scale of the POV per topic (no effect on the cosine-based official loss)
 * @param maskPadding    average losses over real tokens only (false: the official unmasked mean)
 * @param cache          compute frozen activations once and run only the edited blocks (false: the
 *                       official pattern, two model copies and full forward passes)
 * @param paperPov       the paper's POV instead of the official code's
 * @param maxLengths     truncation length of the first topic and of the others (512, 768)
 */
public record FalconSettings(
        int layer,
        List<Integer> layers,
        List<String> params,
        List<Double> alpha,
        List<Double> steeringCoeff,
        double lr,
        int batchSize,
        int maxBatches,
        String optimizer,
        long seed,
        boolean maskPadding,
        boolean cache,
        double temperature,
        GradientProjection.Weights conflictWeights,
        GradientProjection.Weights alignWeights,
        boolean paperPov,
        int[] maxLengths) {

    public static FalconSettings official() {
        return new FalconSettings(7, List.of(5, 6, 7), List.of("mlp.down_proj"), List.of(100.0, 100.0),
                List.of(20.0, 20.0), 5e-5, 4, 80, "sophiag", 42, true, true,
                ContrastiveForgetLoss.OFFICIAL_TEMPERATURE, GradientProjection.OFFICIAL_CONFLICT,
                GradientProjection.OFFICIAL_ALIGN, false, new int[] {512, 768});
    }

    /** The official choice of edited blocks for loss layer l: l-2, l-1 and l (those that exist). */
    public static List<Integer> officialLayers(int layer) {
        List<Integer> out = new ArrayList<>();
        for (int i = Math.max(0, layer - 2); i <= layer; i++) {
            out.add(i);
        }
        return out;
    }

    /** The value of a per-topic list for topic i; a single value applies to all topics. */
    static double perTopic(List<Double> values, int topic, String name) {
        if (values.size() == 1) {
            return values.get(0);
        }
        if (topic >= values.size()) {
            throw new IllegalArgumentException(name + " has " + values.size() + " values but there are more topics");
        }
        return values.get(topic);
    }

    public int firstLayer() {
        return layers.stream().mapToInt(Integer::intValue).min().orElseThrow();
    }
}
