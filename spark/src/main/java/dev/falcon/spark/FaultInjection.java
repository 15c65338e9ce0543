package dev.falcon.spark;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A failure injected to test retries: with {@code spark.falcon.failOnce=P} set, the first attempt of
 * partition P of every stage throws, and Spark runs that task again (given retries: spark.task.maxFailures,
 * or local[N,F]). Unset, nothing happens.
 */
final class FaultInjection {

    static final String KEY = "spark.falcon.failOnce";

    private static final AtomicInteger INJECTED = new AtomicInteger();

    private FaultInjection() {
    }

    static void failFirstAttempt() {
        String partition = SparkEnv.get().conf().get(KEY, null);
        TaskContext task = TaskContext.get();
        if (partition != null && task.attemptNumber() == 0 && task.partitionId() == Integer.parseInt(partition)) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure (" + KEY + "=" + partition + ") of the first attempt "
                    + "of partition " + partition + " in stage " + task.stageId());
        }
    }

    /** Failures injected in this JVM so far. */
    static int injected() {
        return INJECTED.get();
    }
}
