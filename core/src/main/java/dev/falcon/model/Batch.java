package dev.falcon.model;

import dev.falcon.engine.Tensor;

import java.util.List;

/**
 * Token ids [B, T] with an attention mask [B, T] (1 = real token, 0 = padding). Sequences of unequal
 * length are padded on the left (for generation: every row ends at the same column) or on the right
 * (for scoring and training: every row starts at column 0).
 */
public record Batch(Tensor ids, Tensor mask, int[] lengths) {

    public enum Padding { LEFT, RIGHT }

    public static Batch of(List<int[]> sequences, int padId, Padding padding) {
        int rows = sequences.size();
        int width = 1;
        for (int[] s : sequences) {
            width = Math.max(width, s.length);
        }
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        int[] lengths = new int[rows];
        for (int r = 0; r < rows; r++) {
            int[] s = sequences.get(r);
            int offset = padding == Padding.LEFT ? width - s.length : 0;
            java.util.Arrays.fill(ids, r * width, (r + 1) * width, padId);
            for (int i = 0; i < s.length; i++) {
                ids[r * width + offset + i] = s[i];
                mask[r * width + offset + i] = 1;
            }
            lengths[r] = s.length;
        }
        return new Batch(Tensor.ofLongs(ids, rows, width), Tensor.ofLongs(mask, rows, width), lengths);
    }

    /** One unpadded sequence. */
    public static Batch single(int[] sequence) {
        return of(List.of(sequence), 0, Padding.RIGHT);
    }

    public int rows() {
        return lengths.length;
    }

    public int width() {
        return (int) ids.size(1);
    }
}
