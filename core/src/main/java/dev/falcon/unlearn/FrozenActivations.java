package dev.falcon.unlearn;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.model.AttentionContext;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;

/**
 * What one training batch needs from the frozen (unedited) model: its residual stream entering the
 * first edited block (identical for the edited and the frozen model, since nothing below changes) and
 * the frozen model's activations at l*, without running any block above l*.
 */
record FrozenActivations(Batch batch, AttentionContext context, Tensor input, Tensor target) {

    static FrozenActivations of(LlamaModel frozen, Batch batch, int firstEdited, int layer) {
        try (Engine.Guard g = Engine.noGrad()) {
            AttentionContext ctx = frozen.context(batch, null);
            // the blocks' intermediates are freed here; only the two streams are kept
            try (Engine.Scope s = Engine.scope()) {
                Tensor input = s.keep(frozen.blocks(frozen.embed(batch.ids()), ctx, 0, firstEdited, null));
                Tensor target = s.keep(frozen.blocks(input, ctx, firstEdited, layer + 1, null));
                return new FrozenActivations(batch, ctx, input, target);
            }
        }
    }

    /** The edited model's activations at l*, with autograd, from the cached input. */
    Tensor edited(LlamaModel model, int firstEdited, int layer) {
        return model.blocks(input, context, firstEdited, layer + 1, null);
    }
}
