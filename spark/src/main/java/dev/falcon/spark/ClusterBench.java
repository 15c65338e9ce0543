package dev.falcon.spark;

import dev.falcon.cli.ScoringModel;
import dev.falcon.data.McqDataset;
import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.eval.McqResult;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code falcon bench cluster}: one multiple-choice evaluation scored in this process and then on Spark, in
 * the same run: the wall time of each (with the model's opening, and Spark's start for the second), the
 * overhead of Spark, the scoring throughput per task, and whether every per-question log-likelihood is the
 * same double in both.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "One multiple-choice evaluation in this process and on Spark (local[2] by default): wall "
                + "times, Spark's overhead, per-task throughput; the log-likelihoods must be identical.")
final class ClusterBench implements Runnable {

    @Option(names = "--model", required = true, description = "A Hugging Face model folder or a llama2.c .bin.")
    Path model;

    @Option(names = "--tokenizer", required = true, description = "tokenizer.json (or its folder) or a llama2.c tokenizer .bin.")
    Path tokenizer;

    @Option(names = "--mcq", required = true, description = "The multiple-choice task (.jsonl, .json, .csv).")
    Path mcq;

    @Option(names = "--master", defaultValue = "local[2]", description = "The Spark master (default local[2]).")
    String master;

    @Option(names = "--batch-size", defaultValue = "8", description = "Sequences per forward pass (default 8).")
    int batchSize;

    @Override
    public void run() {
        McqDataset data = McqDataset.read(mcq);
        ScoringModel spec = new ScoringModel(model.toAbsolutePath().toString(), tokenizer.toAbsolutePath().toString(),
                DType.F32, null, false, batchSize);
        System.out.printf(Locale.ROOT, "%s: %d questions (lettered and cloze), batch %d, %d threads in this process%n",
                data.task(), data.items().size(), batchSize, Engine.threads());
        warmUp(spec, data);
        long start = System.nanoTime();
        McqResult single;
        try (ScoringModel.Opened opened = spec.open()) {
            single = new McqEvaluator(opened.scorer()).evaluate(data, true);
        }
        double singleSeconds = seconds(start);
        start = System.nanoTime();
        TaskTimes tasks = new TaskTimes();
        McqResult spark;
        double startSeconds;
        try (SparkCluster cluster = new SparkCluster(master, "falcon bench cluster");
             ScoringModel.Opened driver = spec.open()) {
            startSeconds = seconds(start);
            cluster.context().sc().addSparkListener(tasks);
            spark = new McqEvaluator(driver.scorer().withRunner(cluster.scoring(spec))).evaluate(data, true);
        }
        double sparkSeconds = seconds(start);
        report(data, single, spark, singleSeconds, sparkSeconds, startSeconds, tasks);
    }

    /** The first scores of a JVM run slower (libtorch's start, the JIT): taken before either timed run. */
    private static void warmUp(ScoringModel spec, McqDataset data) {
        try (ScoringModel.Opened opened = spec.open()) {
            new McqEvaluator(opened.scorer()).evaluate(new McqDataset(data.task(),
                    data.items().subList(0, Math.min(8, data.items().size())), List.of()), true);
        }
    }

    private void report(McqDataset data, McqResult single, McqResult spark, double singleSeconds,
                        double sparkSeconds, double startSeconds, TaskTimes tasks) {
        int questions = data.items().size();
        System.out.printf(Locale.ROOT, "single process: %.2f s (%.2f questions/s)%n", singleSeconds,
                questions / singleSeconds);
        System.out.printf(Locale.ROOT, "spark %s: %.2f s, of which %.2f s starting Spark (%.2f questions/s)%n",
                master, sparkSeconds, startSeconds, questions / sparkSeconds);
        System.out.printf(Locale.ROOT, "tasks: %d, %.3f s each on average; %.2f questions/s per task%n",
                tasks.count.get(), tasks.runMillis.get() / 1e3 / Math.max(1, tasks.count.get()),
                2.0 * questions / (tasks.runMillis.get() / 1e3));
        System.out.printf(Locale.ROOT, "overhead=%.1f%% (with Spark's start), %.1f%% (scoring alone)%n",
                100 * (sparkSeconds / singleSeconds - 1), 100 * ((sparkSeconds - startSeconds) / singleSeconds - 1));
        System.out.println("identical log-likelihoods: " + identical(single, spark));
    }

    /** Every question's lettered and cloze log-likelihoods are the same doubles in both results. */
    static boolean identical(McqResult a, McqResult b) {
        if (a.samples().size() != b.samples().size()) {
            return false;
        }
        for (int i = 0; i < a.samples().size(); i++) {
            McqResult.Sample x = a.samples().get(i);
            McqResult.Sample y = b.samples().get(i);
            if (!java.util.Arrays.equals(x.lettered().loglikelihoods(), y.lettered().loglikelihoods())
                    || (x.cloze() != null) != (y.cloze() != null)
                    || x.cloze() != null && !java.util.Arrays.equals(x.cloze().loglikelihoods(), y.cloze().loglikelihoods())) {
                return false;
            }
        }
        return true;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Successful tasks and their time from launch to end (a failed attempt's time is not counted). */
    private static final class TaskTimes extends SparkListener {
        final AtomicInteger count = new AtomicInteger();
        final AtomicLong runMillis = new AtomicLong();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskInfo().successful()) {
                count.incrementAndGet();
                runMillis.addAndGet(end.taskInfo().duration());
            }
        }
    }
}
