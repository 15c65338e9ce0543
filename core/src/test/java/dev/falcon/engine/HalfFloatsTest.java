package dev.falcon.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfFloatsTest {

    private static float bf16(int bits) {
        return HalfFloats.bf16ToFloat((short) bits);
    }

    private static float f16(int bits) {
        return HalfFloats.f16ToFloat((short) bits);
    }

    @Test
    void bfloat16MatchesHandDecodedPatterns() {
        assertEquals(1.0f, bf16(0x3F80));  // sign 0, exponent 127, mantissa 0
        assertEquals(-2.0f, bf16(0xC000)); // sign 1, exponent 128
        assertEquals(0.25f, bf16(0x3E80)); // exponent 125
        assertEquals(3.0f, bf16(0x4040));  // exponent 128, mantissa .1b
        assertEquals(Float.POSITIVE_INFINITY, bf16(0x7F80));
        assertEquals(-0.0f, bf16(0x8000));
        assertTrue(Float.isNaN(bf16(0x7FC0)));
    }

    @Test
    void float16MatchesHandDecodedPatterns() {
        assertEquals(1.0f, f16(0x3C00));     // exponent 15 = bias
        assertEquals(-2.0f, f16(0xC000));    // sign 1, exponent 16
        assertEquals(65504.0f, f16(0x7BFF)); // (2 - 2^-10) * 2^15, the largest half
        assertEquals(1365.0f / 4096, f16(0x3555)); // (1 + 341/1024) * 2^-2
        assertEquals(0x1p-14f, f16(0x0400)); // smallest normal
        assertEquals(0x1p-24f, f16(0x0001)); // smallest subnormal: 1 * 2^-24
        assertEquals(1023 * 0x1p-24f, f16(0x03FF)); // largest subnormal
        assertEquals(-0x1p-24f, f16(0x8001));
        assertEquals(-0.0f, f16(0x8000));
        assertEquals(Float.POSITIVE_INFINITY, f16(0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, f16(0xFC00));
        assertTrue(Float.isNaN(f16(0x7E00)));
        assertTrue(Float.isNaN(f16(0x7C01)));
    }

    /** Positive half bit patterns sort like their values, so decoding must be strictly increasing. */
    @Test
    void float16DecodingIsStrictlyMonotonicOverAllPositivePatterns() {
        for (int bits = 1; bits <= 0x7C00; bits++) {
            assertTrue(f16(bits) > f16(bits - 1), "pattern 0x" + Integer.toHexString(bits));
        }
    }
}
