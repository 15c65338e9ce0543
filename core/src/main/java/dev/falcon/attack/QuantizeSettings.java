package dev.falcon.attack;

import dev.falcon.InputException;

import java.io.Serializable;

/**
 * The group sizes of the quantization attack's 4-bit formats.
 *
 * @param groupSize    weights per scale of int4: 128, the group size of GPTQ and AWQ checkpoints and of
 *                     the 4-bit attacks of Zhang et al. (ICLR 2025, arXiv 2410.16454)
 * @param nf4BlockSize weights per scale of NF4: 64, bitsandbytes' blocksize for quantize_4bit and the
 *                     block size of QLoRA, so that the attack computes what a model loaded with
 *                     transformers' load_in_4bit (bnb_4bit_quant_type="nf4") computes
 */
public record QuantizeSettings(int groupSize, int nf4BlockSize) implements Serializable {

    public static final int GPTQ_GROUP_SIZE = 128;
    public static final int BITSANDBYTES_BLOCK_SIZE = 64;

    public QuantizeSettings {
        if (groupSize < 1 || nf4BlockSize < 1) {
            throw new InputException("quantization group sizes must be at least 1, got " + groupSize + " and "
                    + nf4BlockSize);
        }
    }

    public static QuantizeSettings defaults() {
        return new QuantizeSettings(GPTQ_GROUP_SIZE, BITSANDBYTES_BLOCK_SIZE);
    }
}
