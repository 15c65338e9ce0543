package dev.falcon.cli;

import dev.falcon.eval.LogLikelihood;

import java.io.Serializable;
import java.util.List;

/**
 * A cluster whose executors score a command's batches, each opening the model itself; the driver (this
 * process) forms the batches and merges the scores, so the results are those of a single machine. Open for
 * one command; closing it releases the cluster's executors.
 */
public interface Cluster extends AutoCloseable {

    /** A runner that scores batches of {@code model} on the executors, in the order given. */
    LogLikelihood.BatchRunner scoring(ScoringModel model);

    /**
     * Runs each of {@code tasks} as a task of its own on whichever executor gets it (they read and write
     * paths every node shares); the results in the order given, one per task however often a task was retried.
     *
     * @param job what the tasks do, shown in the cluster's UI
     */
    <R extends Serializable> List<R> runEach(List<? extends ClusterTask<R>> tasks, String job);

    @Override
    void close();
}
