package dev.falcon.cli;

import dev.falcon.eval.LogLikelihood;

/**
 * A cluster whose executors score a command's batches, each opening the model itself; the driver (this
 * process) forms the batches and merges the scores, so the results are those of a single machine. Open for
 * one command; closing it releases the cluster's executors.
 */
public interface Cluster extends AutoCloseable {

    /** A runner that scores batches of {@code model} on the executors, in the order given. */
    LogLikelihood.BatchRunner scoring(ScoringModel model);

    @Override
    void close();
}
