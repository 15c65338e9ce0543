package dev.falcon.spark;

import dev.falcon.cli.ScoringModel;
import dev.falcon.eval.LogLikelihood;

import java.util.function.Function;

/**
 * The model an executor JVM has open, kept across tasks (and jobs) so that each task does not read the
 * checkpoint again; one at a time, so that an audit's second model replaces the first rather than joining
 * it. Tasks take turns on it: each uses all of the executor's cores through libtorch's one thread pool.
 */
final class ExecutorModels {

    private static ScoringModel openModel;
    private static ScoringModel.Opened opened;

    private ExecutorModels() {
    }

    /** {@code work} on the scorer of {@code model}, opened unless it is the one already open. */
    static synchronized <T> T with(ScoringModel model, Function<LogLikelihood, T> work) {
        if (!model.equals(openModel)) {
            close();
            opened = model.open();
            openModel = model;
        }
        return work.apply(opened.scorer());
    }

    private static void close() {
        if (opened != null) {
            opened.close();
            opened = null;
            openModel = null;
        }
    }
}
