package dev.falcon.cli;

import java.io.Serializable;

/**
 * Work a cluster runs as one task ({@link Cluster#runEach}), sent to its executor whole; a task may run more
 * than once (a retry after a failure), so it must leave the same result and files each time.
 */
@FunctionalInterface
public interface ClusterTask<R extends Serializable> extends Serializable {

    R call();
}
