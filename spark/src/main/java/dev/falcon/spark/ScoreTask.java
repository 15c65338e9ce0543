package dev.falcon.spark;

import dev.falcon.cli.ExecutorModels;
import dev.falcon.cli.ScoringModel;
import dev.falcon.eval.LogLikelihood.ScoringBatch;
import dev.falcon.eval.LogLikelihood.TokenLogProbs;
import org.apache.spark.api.java.function.FlatMapFunction;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** One task on an executor: its batches scored on the executor's copy of the model, keyed by batch index. */
final class ScoreTask implements FlatMapFunction<Iterator<Tuple2<Integer, ScoringBatch>>, Tuple2<Integer, TokenLogProbs[]>> {

    private static final long serialVersionUID = 1L;

    private final ScoringModel model;
    private final boolean moments;

    ScoreTask(ScoringModel model, boolean moments) {
        this.model = model;
        this.moments = moments;
    }

    @Override
    public Iterator<Tuple2<Integer, TokenLogProbs[]>> call(Iterator<Tuple2<Integer, ScoringBatch>> batches) {
        FaultInjection.failFirstAttempt();
        return ExecutorModels.with(model, scorer -> {
            List<Tuple2<Integer, TokenLogProbs[]>> out = new ArrayList<>();
            batches.forEachRemaining(b -> out.add(new Tuple2<>(b._1(), scorer.score(b._2(), moments))));
            return out;
        }).iterator();
    }
}
