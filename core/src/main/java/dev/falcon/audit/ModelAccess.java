package dev.falcon.audit;

import dev.falcon.eval.LogLikelihood;
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

    /**
     * Where the scorer of this model scores its batches: here, unless a cluster's executors open the same
     * checkpoint ({@link #scoredBy}).
     */
    default LogLikelihood.BatchRunner runner() {
        return LogLikelihood.BatchRunner.LOCAL;
    }

    /** This model with the batches of its scorer scored by {@code runner}, which must score the same model. */
    default ModelAccess scoredBy(LogLikelihood.BatchRunner runner) {
        ModelAccess self = this;
        return new ModelAccess() {
            @Override
            public void with(Consumer<LlamaModel> work) {
                self.with(work);
            }

            @Override
            public LogLikelihood.BatchRunner runner() {
                return runner;
            }
        };
    }

    /** A model already in memory. */
    static ModelAccess of(LlamaModel model) {
        return work -> work.accept(model);
    }
}
