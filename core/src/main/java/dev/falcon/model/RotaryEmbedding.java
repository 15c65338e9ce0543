package dev.falcon.model;

import dev.falcon.engine.Tensor;

/** Rotary position embedding frequencies, with Llama 3's long-context scaling when configured. */
final class RotaryEmbedding {

    private RotaryEmbedding() {
    }

    /** inv_freq[i] = theta^(-2i/d), i < d/2, in float32 as Hugging Face and llama2.c compute it. */
    static Tensor inverseFrequencies(LlamaConfig c) {
        int d = c.headDim();
        float[] inv = new float[d / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / d;
            inv[i] = (float) (1.0 / Math.pow(c.ropeTheta(), exponent));
            if (c.ropeScaling() != null) {
                inv[i] = (float) llama3(inv[i], c.ropeScaling());
            }
        }
        return Tensor.of(inv, inv.length);
    }

    /**
     * Llama 3.1 scaling: wavelengths longer than the original context / low_freq_factor are stretched
     * by factor, shorter than context / high_freq_factor kept, and the band between interpolated.
     */
    private static double llama3(double invFreq, LlamaConfig.RopeScaling s) {
        double wavelength = 2 * Math.PI / invFreq;
        double lowWavelength = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
        double highWavelength = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
        if (wavelength < highWavelength) {
            return invFreq;
        }
        if (wavelength > lowWavelength) {
            return invFreq / s.factor();
        }
        double smooth = (s.originalMaxPositionEmbeddings() / wavelength - s.lowFreqFactor())
                / (s.highFreqFactor() - s.lowFreqFactor());
        return (1 - smooth) * invFreq / s.factor() + smooth * invFreq;
    }
}
