package dev.falcon.demo;

import dev.falcon.demo.world.FactWorld;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.demo.world.WorldDomain;
import dev.falcon.eval.Accuracy;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.eval.Perplexity;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.model.LlamaModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's MCQ accuracy on every domain of the world, with confidence intervals, and its token
 * perplexity on the retain text.
 *
 * @param accuracy         by domain name, forget domains first
 * @param retainPerplexity token perplexity of the retain domains' statements, one document
 */
public record DomainScores(Map<String, Accuracy> accuracy, double retainPerplexity) {

    /** Requests per forward pass when scoring. */
    private static final int BATCH = 32;

    /** Scores the model with BOS prepended, as it was trained, every question asked in {@code form}. */
    public static DomainScores of(LlamaModel model, Tokenizer tok, FactWorld world, McqForm form) {
        LogLikelihood ll = new LogLikelihood(model, tok, true, BATCH);
        return new DomainScores(accuracies(ll, world, form), perplexity(ll, world));
    }

    /** MCQ accuracy only (no perplexity), for the checks during training. */
    public static Map<String, Accuracy> accuracies(LlamaModel model, Tokenizer tok, FactWorld world, McqForm form) {
        return accuracies(new LogLikelihood(model, tok, true, BATCH), world, form);
    }

    /** Only the form asked for is scored: the other would double the cost of every check. */
    private static Map<String, Accuracy> accuracies(LogLikelihood ll, FactWorld world, McqForm form) {
        McqEvaluator evaluator = new McqEvaluator(ll);
        Map<String, Accuracy> out = new LinkedHashMap<>();
        for (WorldDomain d : world.domains()) {
            McqDataset questions = new McqDataset(d.name(), world.questions(d.name()), List.of());
            out.put(d.name(), evaluator.score(questions, form));
        }
        return out;
    }

    private static double perplexity(LogLikelihood ll, FactWorld world) {
        String retain = String.join("\n", world.domains().stream().filter(d -> !d.forget())
                .flatMap(d -> world.domainText(d.name()).stream()).toList());
        return new Perplexity(ll).evaluate(retain).tokenPerplexity();
    }

    /** Accuracy over all questions of the forget domains ({@code forget}) or of the retain domains. */
    public Accuracy pooledAccuracy(FactWorld world, boolean forget) {
        return Accuracy.pooled(world.domains().stream().filter(d -> d.forget() == forget)
                .map(d -> accuracy.get(d.name())).toList());
    }

    /** The lowest accuracy over all domains. */
    public static double lowest(Map<String, Accuracy> accuracy) {
        return accuracy.values().stream().mapToDouble(Accuracy::value).min().orElse(0);
    }
}
