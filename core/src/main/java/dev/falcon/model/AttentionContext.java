package dev.falcon.model;

import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;

import java.util.List;

/**
 * What every block of one forward pass shares: the rotary cos/sin tables at each token's position and
 * the additive attention mask (causal, minus padded keys, within the sliding window if the model has one).
 * Position ids count real tokens only, so left-padded rows get the same positions as unpadded ones.
 */
public final class AttentionContext {

    private final Tensor cos;
    private final Tensor sin;
    private final Tensor mask;
    private final Tensor keyMask;
    private final Tensor nextPosition;

    private AttentionContext(Tensor cos, Tensor sin, Tensor mask, Tensor keyMask, Tensor nextPosition) {
        this.cos = cos;
        this.sin = sin;
        this.mask = mask;
        this.keyMask = keyMask;
        this.nextPosition = nextPosition;
    }

    /** {@code window}: how many tokens, itself included, a query sees at most; 0 for no limit. */
    static AttentionContext of(Tensor tokenMask, KvCache cache, Tensor invFreq, int window, DType dtype) {
        long past = cache == null ? 0 : cache.length();
        Tensor start = cache == null || cache.nextPosition == null
                ? Tensor.zeros(DType.I64, tokenMask.size(0), 1) : cache.nextPosition;
        Tensor positions = start.add(tokenMask.cumsum(1)).add(-1).clampMin(0);
        Tensor freqs = positions.to(DType.F32).unsqueeze(2).mul(invFreq.view(1, 1, invFreq.numel()));
        Tensor angles = Tensor.cat(List.of(freqs, freqs), 2).unsqueeze(1);
        Tensor keyMask = past == 0 ? tokenMask : Tensor.cat(List.of(cache.keyMask, tokenMask), 1);
        Tensor next = start.add(tokenMask.sum(1, true));
        // Without padding, cache or a window to apply, plain causal attention lets libtorch use its fused kernel.
        long t = tokenMask.size(1);
        boolean windowApplies = window > 0 && past + t > window;
        boolean plainCausal = past == 0 && !windowApplies && tokenMask.min().item() == 1;
        Tensor mask = plainCausal ? null : additiveMask(keyMask, past, t, window, dtype);
        return new AttentionContext(angles.cos().to(dtype), angles.sin().to(dtype), mask, keyMask, next);
    }

    /**
     * [B, 1, T, Tk]: 0 where query t (at absolute index past + t) may see key j, -inf elsewhere.
     * A query always sees itself, so that rows of padding stay finite instead of NaN. The window counts
     * columns, as transformers does; padding sits only at a row's start or end, so columns between two
     * real tokens are real tokens too.
     */
    private static Tensor additiveMask(Tensor keyMask, long past, long t, int window, DType dtype) {
        long tk = keyMask.size(1);
        Tensor query = Tensor.arange(t).add(past).view(t, 1);
        Tensor key = Tensor.arange(tk).view(1, tk);
        Tensor distance = query.add(key.neg());
        Tensor seen = distance.gt(-1).to(DType.F32);
        if (window > 0) {
            seen = seen.mul(distance.lt(window).to(DType.F32));
        }
        Tensor causal = seen.unsqueeze(0);
        Tensor visible = causal.mul(keyMask.to(DType.F32).unsqueeze(1));
        Tensor self = query.eqElementwise(key).to(DType.F32).unsqueeze(0);
        Tensor allowed = visible.maximum(self);
        return Tensor.zeros(dtype, allowed.shape()).maskedFill(allowed.eq(0), Double.NEGATIVE_INFINITY)
                .unsqueeze(1);
    }

    /** Rotary embedding of q or k [B, H, T, d] in the rotate-half layout. */
    Tensor rotate(Tensor x) {
        long half = x.size(-1) / 2;
        Tensor x1 = x.narrow(-1, 0, half);
        Tensor x2 = x.narrow(-1, half, half);
        Tensor rotated = Tensor.cat(List.of(x2.neg(), x1), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** The additive mask, or null for plain causal attention. */
    Tensor mask() {
        return mask;
    }

    /** Records this pass's tokens in the cache after all blocks have appended their keys. */
    public void commit(KvCache cache) {
        if (cache != null) {
            cache.keyMask = keyMask;
            cache.nextPosition = nextPosition;
        }
    }
}
