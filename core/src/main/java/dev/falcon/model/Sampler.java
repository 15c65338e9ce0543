package dev.falcon.model;

import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;

/** Picks the next token from logits: argmax at temperature 0, else nucleus (top-p) sampling. */
public final class Sampler {

    private final double temperature;
    private final double topP;
    private final Rng rng;

    public Sampler(double temperature, double topP, long seed) {
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        this.temperature = temperature;
        this.topP = topP;
        this.rng = new Rng(seed);
    }

    /** logits [V] of one position. */
    public int next(Tensor logits) {
        if (temperature == 0) {
            return (int) logits.argmax(0).itemLong();
        }
        Tensor probs = logits.to(dev.falcon.engine.DType.F32).div(temperature).softmax(0);
        if (topP < 1) {
            probs = nucleus(probs);
        }
        return (int) probs.multinomial(rng).itemLong();
    }

    /** Zeroes every token outside the smallest set whose probability mass reaches top-p. */
    private Tensor nucleus(Tensor probs) {
        Tensor[] sorted = probs.sort(0, true);
        Tensor before = sorted[0].cumsum(0).sub(sorted[0]);
        Tensor keptSorted = sorted[0].maskedFill(before.lt(topP).logicalNot(), 0.0);
        return Tensor.zeros(probs.dtype(), probs.shape()).scatter(0, sorted[1], keptSorted);
    }
}
