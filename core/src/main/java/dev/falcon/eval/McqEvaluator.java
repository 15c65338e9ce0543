package dev.falcon.eval;

import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqItem;
import dev.falcon.data.McqPrompt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Multiple-choice accuracy as lm-evaluation-harness 0.4.2 scores MMLU and WMDP zero-shot: every
 * choice's continuation is scored by log-likelihood and the prediction is the first argmax.
 * Optionally also the cloze form (each answer text scored itself), with lm-eval's acc_norm. With the
 * scorer's chat template, every prompt is asked as a chat ({@link McqPrompt#inChat}).
 */
public final class McqEvaluator {

    private final LogLikelihood logLikelihood;

    public McqEvaluator(LogLikelihood logLikelihood) {
        this.logLikelihood = logLikelihood;
    }

    /** Scores the lettered form, and the cloze form too when {@code cloze} is set. */
    public McqResult evaluate(McqDataset data, boolean cloze) {
        return evaluate(data, McqPrompt::lettered, cloze);
    }

    /** Accuracy (first argmax of the summed log-likelihoods) with every question asked in {@code form}. */
    public double accuracy(McqDataset data, McqForm form) {
        return score(data, form).value();
    }

    /** {@link #accuracy} as a count of right answers, with its confidence interval. */
    public Accuracy score(McqDataset data, McqForm form) {
        return evaluate(data, form::prompt).accuracy();
    }

    /**
     * Scores the prompts {@code lettered} makes in place of the plain lettered form (e.g. a form
     * behind a prefix), with the same argmax, as the result's lettered scores; no cloze form.
     */
    public McqResult evaluate(McqDataset data, Function<McqItem, McqPrompt> lettered) {
        return evaluate(data, lettered, false);
    }

    /**
     * Scores every question in {@code form} with each tokenized request passed through {@code edit}
     * first (e.g. tokens put between the context and the answer), with the same argmax; no cloze form.
     */
    public McqResult evaluate(McqDataset data, McqForm form, UnaryOperator<LogLikelihood.TokenRequest> edit) {
        return evaluate(data, form::prompt, false, edit);
    }

    private McqResult evaluate(McqDataset data, Function<McqItem, McqPrompt> letteredForm, boolean cloze) {
        return evaluate(data, letteredForm, cloze, UnaryOperator.identity());
    }

    private McqResult evaluate(McqDataset data, Function<McqItem, McqPrompt> letteredForm, boolean cloze,
                               UnaryOperator<LogLikelihood.TokenRequest> edit) {
        List<McqResult.Choices> lettered = score(data.items(), letteredForm, edit);
        List<McqResult.Choices> clozed = cloze ? score(data.items(), McqPrompt::cloze, edit) : null;
        List<McqResult.Sample> samples = new ArrayList<>();
        for (int i = 0; i < data.items().size(); i++) {
            McqItem item = data.items().get(i);
            samples.add(new McqResult.Sample(item.index(), item.answer(), lettered.get(i),
                    clozed == null ? null : clozed.get(i)));
        }
        return new McqResult(data.task(), samples, data.problems());
    }

    /** {@code plain} as the model is asked it: through the scorer's chat template where it has one. */
    public McqPrompt asked(McqPrompt plain) {
        return logLikelihood.chatTemplate().map(plain::inChat).orElse(plain);
    }

    /** All questions' requests go to the scorer at once, so that batches mix questions. */
    private List<McqResult.Choices> score(List<McqItem> items, Function<McqItem, McqPrompt> format,
                                          UnaryOperator<LogLikelihood.TokenRequest> edit) {
        List<LogLikelihood.TokenRequest> requests = new ArrayList<>();
        for (McqItem item : items) {
            McqPrompt prompt = asked(format.apply(item));
            for (String continuation : prompt.continuations()) {
                requests.add(edit.apply(logLikelihood.encode(new LogLikelihood.Request(prompt.context(), continuation))));
            }
        }
        List<LogLikelihood.Score> scores = logLikelihood.scoreTokens(requests);
        List<McqResult.Choices> out = new ArrayList<>();
        int next = 0;
        for (McqItem item : items) {
            int k = item.choices().size();
            double[] lls = new double[k];
            for (int c = 0; c < k; c++) {
                lls[c] = scores.get(next++).logLikelihood();
            }
            out.add(McqResult.Choices.of(lls, item.choices()));
        }
        return out;
    }
}
