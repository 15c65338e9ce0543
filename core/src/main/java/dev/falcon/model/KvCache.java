package dev.falcon.model;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;

import java.util.List;

/**
 * Keys and values of every layer for the tokens seen so far, plus their padding mask and the next
 * position id of each row, so that generation feeds one new token per step.
 */
public final class KvCache {

    final Tensor[] keys;
    final Tensor[] values;
    /** [B, Tpast] 1 for real tokens. */
    Tensor keyMask;
    /** [B, 1] position id the next token of each row gets. */
    Tensor nextPosition;

    public KvCache(int layers) {
        keys = new Tensor[layers];
        values = new Tensor[layers];
    }

    public long length() {
        return keyMask == null ? 0 : keyMask.size(1);
    }

    /**
     * A cache whose row i is this cache's row {@code rows[i]} (rows may repeat): several continuations read one
     * cached context. The tensors are copies, so appending to either cache leaves the other as it was.
     */
    public KvCache rows(long[] rows) {
        Tensor index = Tensor.ofLongs(rows, rows.length);
        KvCache out = new KvCache(keys.length);
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                out.keys[l] = keys[l].indexSelect(0, index);
                out.values[l] = values[l].indexSelect(0, index);
            }
        }
        out.keyMask = keyMask == null ? null : keyMask.indexSelect(0, index);
        out.nextPosition = nextPosition == null ? null : nextPosition.indexSelect(0, index);
        return out;
    }

    /** Moves the cached tensors out of a closing scope so they survive it. */
    void keep(Engine.Scope scope) {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                scope.keep(keys[l]);
                scope.keep(values[l]);
            }
        }
        scope.keep(keyMask);
        scope.keep(nextPosition);
    }

    /** Appends this step's keys/values [B, Hkv, T, d] of one layer and returns the full history. */
    Tensor[] append(int layer, Tensor k, Tensor v) {
        if (keys[layer] != null) {
            k = Tensor.cat(List.of(keys[layer], k), 2);
            v = Tensor.cat(List.of(values[layer], v), 2);
        }
        keys[layer] = k;
        values[layer] = v;
        return new Tensor[] {k, v};
    }
}
