package dev.falcon.attack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.eval.Accuracy;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Multiple-choice accuracy read from every layer's residual stream: for layer l the final norm and
 * the unembedding are applied to the stream after block l (nostalgebraist's "logit lens", 2020),
 * and the choices are scored exactly as {@link McqEvaluator} scores the model's output. Unlearning
 * that only hides knowledge in the last layers leaves it readable at an earlier one.
 *
 * <p>Each layer is one evaluation that runs the blocks up to it, so the whole lens costs about
 * (layers + 1) / 2 ordinary evaluations; in exchange no more than one layer's logits are ever held.
 */
public final class LogitLens {

    /** @param accuracyByLayer accuracy at layer 0, 1, ...; the last equals the model's own */
    public record Result(String task, int questions, List<Double> accuracyByLayer) {

        public Result {
            accuracyByLayer = List.copyOf(accuracyByLayer);
        }

        /** The highest accuracy over all layers. */
        public double max() {
            return accuracyByLayer.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }

        public ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode().put("task", task).put("questions", questions);
            accuracyByLayer.forEach(json.putArray("accuracy_by_layer")::add);
            ArrayNode intervals = json.putArray("ci95_by_layer");
            accuracyByLayer.forEach(a -> intervals.add(Accuracy.of(a, questions).ci95()));
            json.put("max", max()).set("max_ci95", Accuracy.of(max(), questions).ci95());
            return json;
        }
    }

    private final LogLikelihood scorer;
    private final McqForm form;

    /**
     * @param scorer the model and scoring settings; its own readout is replaced layer by layer
     * @param form   the form every question is asked in
     */
    public LogitLens(LogLikelihood scorer, McqForm form) {
        this.scorer = scorer;
        this.form = form;
    }

    public Result run(McqDataset data) {
        return run(data, layer -> { });
    }

    /** @param layerDone told each layer's index once that layer is scored */
    public Result run(McqDataset data, IntConsumer layerDone) {
        List<Double> accuracy = new ArrayList<>();
        for (int l = 0; l < scorer.model().config().numLayers(); l++) {
            accuracy.add(score(data, l).value());
            layerDone.accept(l);
        }
        return new Result(data.task(), data.items().size(), accuracy);
    }

    /** The accuracy read from the residual stream after block {@code layer}. */
    public Accuracy score(McqDataset data, int layer) {
        return new McqEvaluator(scorer.withReadout(LogLikelihood.Readout.afterLayer(layer))).score(data, form);
    }
}
