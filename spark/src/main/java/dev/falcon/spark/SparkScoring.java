package dev.falcon.spark;

import dev.falcon.cli.ScoringModel;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.LogLikelihood.ScoringBatch;
import dev.falcon.eval.LogLikelihood.TokenLogProbs;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores a request list's batches on the executors: the batches, formed here as a single machine forms them,
 * are split into tasks of consecutive batches; each task's executor scores its batches on its cached copy of
 * the model, and the scores come back keyed by batch index. A retried task's scores replace nothing twice: a
 * job's result holds one successful attempt of each task, so the merged list is the single machine's,
 * whatever the partitioning, the order the tasks ran in, or how often they ran.
 */
final class SparkScoring implements LogLikelihood.BatchRunner {

    /** Tasks per task slot: enough that a slow executor or a retried task holds up little of the job. */
    static final int TASKS_PER_SLOT = 4;

    private final JavaSparkContext context;
    private final ScoringModel model;

    SparkScoring(JavaSparkContext context, ScoringModel model) {
        this.context = context;
        this.model = model;
    }

    @Override
    public List<TokenLogProbs[]> run(LogLikelihood scorer, List<ScoringBatch> batches, boolean moments) {
        if (batches.isEmpty()) {
            return List.of();
        }
        List<Tuple2<Integer, ScoringBatch>> indexed = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            indexed.add(new Tuple2<>(i, batches.get(i)));
        }
        int tasks = Math.min(batches.size(), TASKS_PER_SLOT * slots());
        context.setJobDescription("falcon: " + batches.size() + " batches of " + model.model() + " in " + tasks
                + " tasks");
        List<Tuple2<Integer, TokenLogProbs[]>> scored = context.parallelize(indexed, tasks)
                .mapPartitions(new ScoreTask(model, moments)).collect();
        return merge(scored, batches.size());
    }

    /** Tasks that can run at once: the cluster's cores over the cores each task takes. */
    private int slots() {
        int taskCpus = context.getConf().getInt("spark.task.cpus", 1);
        return Math.max(1, context.defaultParallelism() / taskCpus);
    }

    /** The scores in batch order; each batch's exactly once. */
    static List<TokenLogProbs[]> merge(List<Tuple2<Integer, TokenLogProbs[]>> scored, int batches) {
        TokenLogProbs[][] out = new TokenLogProbs[batches][];
        for (Tuple2<Integer, TokenLogProbs[]> s : scored) {
            if (out[s._1()] != null) {
                throw new IllegalStateException("batch " + s._1() + " came back twice");
            }
            out[s._1()] = s._2();
        }
        for (int i = 0; i < batches; i++) {
            if (out[i] == null) {
                throw new IllegalStateException("batch " + i + " did not come back");
            }
        }
        return Arrays.asList(out);
    }
}
