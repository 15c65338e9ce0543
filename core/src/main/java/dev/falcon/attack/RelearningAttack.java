package dev.falcon.attack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.eval.Accuracy;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.TrainLog;
import dev.falcon.train.TrainSettings;
import dev.falcon.train.Trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The relearning attack: fine-tune the unlearned model for a few steps on a small part of the
 * forget data and watch how much multiple-choice accuracy on the forget questions comes back.
 * Knowledge that was only suppressed returns after far fewer steps than it would take to learn it
 * afresh (Łucki et al. 2024, "An Adversarial Perspective on Machine Unlearning for AI Safety";
 * Hu et al. 2024, "Jogging the Memory of Unlearned LLMs Through Targeted Relearning Attacks";
 * Deeb and Roger 2024, "Do Unlearning Methods Remove Information from Language Model Weights?",
 * which trains on some facts and measures the others, as here with disjoint documents and questions).
 *
 * <p>Every parameter of a copy of the model is trained with {@link Trainer}; the model given is untouched.
 */
public final class RelearningAttack {

    /** Accuracy after {@code step} optimizer steps (0: before relearning). */
    public record Point(int step, double accuracy) {
    }

    /**
     * @param documents how many forget documents were trained on (the first ones of the forget data)
     * @param curve     accuracy at step 0, after each measured step, at the last step, and where the run stopped early
     * @param log       the fine-tuning run's losses; its stoppedEarly says why it ended early, if it did
     */
    public record Result(String task, int questions, int documents, List<Point> curve, TrainLog log) {

        public Result {
            curve = List.copyOf(curve);
        }

        /** Accuracy before relearning. */
        public double before() {
            return curve.get(0).accuracy();
        }

        /** Accuracy after the last step. */
        public double after() {
            return curve.get(curve.size() - 1).accuracy();
        }

        /** The accuracy measured after {@code step} steps, or after the last one done when the run stopped before. */
        public double at(int step) {
            int reached = Math.min(step, log.steps().size());
            return curve.stream().filter(p -> p.step() == reached).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("no accuracy was measured after " + step + " steps")).accuracy();
        }

        public ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode().put("task", task).put("questions", questions)
                    .put("documents", documents);
            ArrayNode points = json.putArray("curve");
            curve.forEach(p -> points.addObject().put("step", p.step()).put("accuracy", p.accuracy())
                    .set("ci95", Accuracy.of(p.accuracy(), questions).ci95()));
            ArrayNode losses = json.putArray("train_loss");
            log.steps().forEach(s -> losses.add(s.loss()));
            return json.put("stopped_early", log.stoppedEarly());
        }
    }

    private final TrainSettings settings;
    private final int documents;
    private final IntPredicate evaluateAfter;

    /**
     * @param settings  the fine-tuning run; its maxSteps must be set (the attack is a step budget)
     * @param documents how many forget documents to train on, taken from the start of the forget data
     * @param evalEvery steps between accuracy measurements
     */
    public RelearningAttack(TrainSettings settings, int documents, int evalEvery) {
        this(settings, documents, checkInterval(evalEvery));
    }

    /**
     * @param evaluateAfter whether to measure accuracy after a number of steps (the last step is always measured)
     */
    private RelearningAttack(TrainSettings settings, int documents, IntPredicate evaluateAfter) {
        if (settings.maxSteps() < 1) {
            throw new InputException("relearning needs a number of steps of at least 1, got " + settings.maxSteps());
        }
        if (documents < 1) {
            throw new InputException("relearning needs at least 1 document, got " + documents);
        }
        this.settings = settings;
        this.documents = documents;
        this.evaluateAfter = evaluateAfter;
    }

    /** Accuracy measured after exactly the given numbers of steps (and after the last, settings.maxSteps()). */
    public static RelearningAttack measuredAfter(TrainSettings settings, int documents, Set<Integer> steps) {
        return new RelearningAttack(settings, documents, Set.copyOf(steps)::contains);
    }

    private static IntPredicate checkInterval(int evalEvery) {
        if (evalEvery < 1) {
            throw new InputException("the evaluation interval must be at least 1 step, got " + evalEvery);
        }
        return done -> done % evalEvery == 0;
    }

    /**
     * The documents the attack trains on: the first {@code documents} of the forget data.
     *
     * @throws InputException when the forget data has fewer
     */
    public List<Document> trainingDocuments(List<Document> forget) {
        if (forget.size() < documents) {
            throw new InputException("relearning on " + documents + " documents, but the forget data has only "
                    + forget.size());
        }
        return forget.subList(0, documents);
    }

    /**
     * Fine-tunes a copy of {@code scorer}'s model on the first documents of {@code forget} and
     * scores {@code questions}, asked in {@code form}, before and during it.
     *
     * @param listener told of every step, or null
     * @throws InputException when {@code forget} has fewer documents than the attack uses
     */
    public Result run(LogLikelihood scorer, McqForm form, List<Document> forget, McqDataset questions,
                      TrainLog.Listener listener) {
        List<Document> training = trainingDocuments(forget);
        LlamaModel copy = scorer.model().snapshot();
        McqEvaluator evaluator = new McqEvaluator(scorer.withModel(copy));
        List<Point> curve = new ArrayList<>();
        curve.add(new Point(0, evaluator.accuracy(questions, form)));
        TrainLog log = new Trainer(settings).train(copy, List.copyOf(copy.paramNames()),
                training, scorer.tokenizer(), (step, total) -> {
                    int done = step.step() + 1;
                    if (evaluateAfter.test(done) || done == total) {
                        curve.add(new Point(done, evaluator.accuracy(questions, form)));
                    }
                    if (listener != null) {
                        listener.onStep(step, total);
                    }
                });
        if (curve.get(curve.size() - 1).step() < log.steps().size()) {
            // stopped early, after the last measurement: the weights it kept are measured too
            curve.add(new Point(log.steps().size(), evaluator.accuracy(questions, form)));
        }
        return new Result(questions.task(), questions.items().size(), documents, curve, log);
    }
}
