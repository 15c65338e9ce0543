package dev.falcon.eval;

import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.data.TofuItem;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.model.Sampler;
import dev.falcon.model.TextGenerator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TOFU's per-set scores: the length-normalised probability of the answer, the truth ratio of
 * the perturbed answers against the paraphrased one, and ROUGE-L recall of the greedy answer.
 * Questions are posed as the project's training documents pose them ({@link Document#questionAnswer}),
 * so an answer's tokens are exactly the tokens the unlearning loss saw.
 */
public final class TofuEvaluator {

    private final LogLikelihood logLikelihood;
    private final int maxNewTokens;

    /**
     * @param maxNewTokens bound on each greedy answer's length (the model's context bounds it too)
     */
    public TofuEvaluator(LogLikelihood logLikelihood, int maxNewTokens) {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be at least 1, got " + maxNewTokens);
        }
        this.logLikelihood = logLikelihood;
        this.maxNewTokens = maxNewTokens;
    }

    public TofuResult evaluate(String task, List<TofuItem> items) {
        TofuResult.Kind kind = TofuResult.Kind.of(task);
        List<double[]> nlls = answerNlls(items);
        List<TofuResult.Sample> samples = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            TofuItem item = items.get(i);
            String generated = greedyAnswer(item.question());
            samples.add(sample(kind, item, nlls.get(i), generated));
        }
        return new TofuResult(task, kind, samples);
    }

    /**
     * nlls: mean token NLL of the answer, then of the paraphrased answer where there is one, then
     * of each perturbed answer. Probability is P(a) on forget and retain sets, and P(a)'s share
     * among the candidates on real authors and world facts (TOFU's eval config).
     */
    private static TofuResult.Sample sample(TofuResult.Kind kind, TofuItem item, double[] nlls, String generated) {
        int firstPerturbed = item.paraphrasedAnswer() == null ? 1 : 2;
        double[] perturbed = Arrays.copyOfRange(nlls, firstPerturbed, nlls.length);
        double base = nlls[firstPerturbed - 1];
        double probability = kind.relativeProbability()
                ? TofuScores.relativeProbability(nlls[0], perturbed)
                : TofuScores.normalizedProbability(nlls[0]);
        double truthRatio = perturbed.length == 0 ? Double.NaN : TofuScores.truthRatio(base, perturbed);
        return new TofuResult.Sample(item.question(), probability, truthRatio, generated,
                RougeL.recall(generated, item.answer()));
    }

    /** Every answer of every question, scored in one batched call. */
    private List<double[]> answerNlls(List<TofuItem> items) {
        List<LogLikelihood.TokenRequest> requests = new ArrayList<>();
        for (TofuItem item : items) {
            for (String answer : answers(item)) {
                Document qa = Document.questionAnswer(item.question(), answer);
                requests.add(scorable(item, logLikelihood.encode(new LogLikelihood.Request(qa.prompt(), qa.completion()))));
            }
        }
        List<LogLikelihood.Score> scores = logLikelihood.scoreTokens(requests);
        List<double[]> out = new ArrayList<>();
        int next = 0;
        for (TofuItem item : items) {
            double[] nlls = new double[answers(item).size()];
            for (int a = 0; a < nlls.length; a++) {
                LogLikelihood.Score s = scores.get(next++);
                nlls[a] = -s.logLikelihood() / s.tokens();
            }
            out.add(nlls);
        }
        return out;
    }

    private static List<String> answers(TofuItem item) {
        List<String> answers = new ArrayList<>();
        answers.add(item.answer());
        if (item.paraphrasedAnswer() != null) {
            answers.add(item.paraphrasedAnswer());
        }
        answers.addAll(item.perturbedAnswers());
        return answers;
    }

    private LogLikelihood.TokenRequest scorable(TofuItem item, LogLikelihood.TokenRequest r) {
        int tokens = r.continuation().length;
        if (tokens == 0 || tokens > logLikelihood.maxLength()) {
            throw new InputException(item.file(), "line " + item.line() + ": an answer encodes to " + tokens
                    + " tokens; it must have 1 to " + logLikelihood.maxLength() + " (the model's context)");
        }
        return r;
    }

    /** Temperature 0 from BOS (where the tokenizer has one) + prompt, stopping at EOS or BOS (llama2.c's end). */
    private String greedyAnswer(String question) {
        Tokenizer tok = logLikelihood.tokenizer();
        int[] prompt = tok.encode(Document.questionAnswer(question, "").prompt(), tok.bosId() >= 0, false);
        int maxLength = Math.min(prompt.length + maxNewTokens, logLikelihood.maxLength());
        int[] out = new TextGenerator(logLikelihood.model())
                .generate(prompt, maxLength, new Sampler(0, 1, 0), new int[] {tok.eosId(), tok.bosId()}, id -> { });
        return tok.decode(Arrays.copyOfRange(out, prompt.length, out.length));
    }
}
