package dev.falcon.audit;

import dev.falcon.model.LlamaModel;

import java.util.function.Consumer;

/**
 * A model the audit loads only when it gets to it and lets go of afterwards, so that the unlearned model,
 * the original and the reference are never in memory together.
 */
@FunctionalInterface
public interface ModelAccess {

    /** Loads the model, gives it to {@code work}, then releases it. */
    void with(Consumer<LlamaModel> work);

    /** A model already in memory. */
    static ModelAccess of(LlamaModel model) {
        return work -> work.accept(model);
    }
}
