package dev.falcon.train;

import dev.falcon.InputException;

import java.util.Locale;

/**
 * The learning rate of each optimizer step, as transformers' schedulers define it (step s counts
 * from 0): a linear warm-up lr * s / warmup over the first {@code warmup} steps, then either
 * constant lr or a cosine decay lr * (1 + cos(pi * p)) / 2 with p = (s - warmup) / (total - warmup)
 * the fraction of the decay done, reaching 0 after the last step.
 */
public record LearningRateSchedule(double peak, int warmup, int total, Shape shape) {

    public enum Shape {
        COSINE, CONSTANT;

        /** "cosine" or "constant". */
        public static Shape parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "cosine" -> COSINE;
                case "constant" -> CONSTANT;
                default -> throw new InputException("unknown learning-rate schedule '" + name
                        + "'; expected cosine or constant");
            };
        }
    }

    public LearningRateSchedule {
        if (total < 1 || warmup < 0 || warmup > total) {
            throw new IllegalArgumentException("need 0 <= warmup <= total and total >= 1, got warmup " + warmup
                    + ", total " + total);
        }
    }

    /** Warm-up over ceil(fraction * total) steps, as transformers' warmup_ratio. */
    public static LearningRateSchedule withWarmupFraction(double peak, double fraction, int total, Shape shape) {
        return new LearningRateSchedule(peak, (int) Math.ceil(fraction * total), total, shape);
    }

    /** The learning rate of step s (0-based). */
    public double at(int s) {
        if (s < warmup) {
            return peak * s / warmup;
        }
        if (shape == Shape.CONSTANT) {
            return peak;
        }
        double progress = (double) (s - warmup) / Math.max(1, total - warmup);
        return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
