package dev.falcon.spark;

import dev.falcon.cli.Cluster;
import dev.falcon.cli.ClusterTask;
import dev.falcon.cli.ScoringModel;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.InputException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** A Spark application for one command: executors score, this driver forms the batches and merges. */
final class SparkCluster implements Cluster {

    private final JavaSparkContext context;

    SparkCluster(String master, String job) {
        SparkConf conf = new SparkConf().setMaster(master).setIfMissing("spark.app.name", job);
        ExecutorSettings.apply(conf);
        context = start(conf, master);
        context.setLogLevel("WARN");
    }

    /** The context; a master Spark cannot parse is bad input, named. */
    private static JavaSparkContext start(SparkConf conf, String master) {
        try {
            return new JavaSparkContext(conf);
        } catch (Exception e) {
            if (e instanceof SparkException && e.getMessage() != null && e.getMessage().contains("Master URL")) {
                throw new InputException("--spark " + master + ": " + e.getMessage());
            }
            throw e;
        }
    }

    /** The application's context, for work beyond scoring batches (benchmarks). */
    JavaSparkContext context() {
        return context;
    }

    @Override
    public LogLikelihood.BatchRunner scoring(ScoringModel model) {
        return new SparkScoring(context, model);
    }

    /**
     * One partition a task: collect gives one successful attempt's result per partition, in partition order, so
     * a retried task's result is counted once.
     */
    @Override
    public <R extends Serializable> List<R> runEach(List<? extends ClusterTask<R>> tasks, String job) {
        context.setJobDescription(job);
        List<ClusterTask<R>> list = new ArrayList<>(tasks);
        return context.parallelize(list, list.size()).map(SparkCluster::call).collect();
    }

    /** The task, then the injected failure (if set): it comes after the task wrote its files, as a lost executor's would. */
    private static <R extends Serializable> R call(ClusterTask<R> task) {
        R result = task.call();
        FaultInjection.failFirstAttempt();
        return result;
    }

    @Override
    public void close() {
        context.stop();
    }
}
