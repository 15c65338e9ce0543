package dev.falcon.eval;

import dev.falcon.data.Document;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Membership inference on forget versus held-out texts (MUSE's privleak, open-unlearning's
 * {@code mia_*} metrics): every {@link MembershipScore} of every text under one model, and each score's
 * {@link RocAuc} with the forget texts as members.
 * <p>
 * What is scored follows open-unlearning's datasets. A plain text is scored whole, every token
 * predicted once, the first from the prefix token (BOS), in the rolling windows of {@link Perplexity}
 * when it is longer than the model's context (MUSE predicts every token after the BOS its tokenizer
 * adds; its texts fit the context). A question/answer record is scored on its answer given the question
 * (open-unlearning's TOFU_MIA labels only the answer), and zlib compresses that answer. Unlike
 * open-unlearning, no EOS is appended, so there is no EOS prediction to leave out.
 */
public final class MembershipInference {

    /** @param k the fraction of a text's tokens Min-K% and Min-K%++ average: 0.4 in MUSE and open-unlearning */
    public record Settings(double k) {

        public static final Settings DEFAULT = new Settings(0.4);

        public Settings {
            if (!(k > 0 && k <= 1)) {
                throw new IllegalArgumentException("k must be in (0, 1], got " + k);
            }
        }
    }

    /** Each score of each text, in input order. */
    public record Scores(int n, Map<MembershipScore, double[]> byScore) {
    }

    /**
     * @param forget  the forget set's scores
     * @param holdout the held-out set's scores
     * @param auc     each score's AUC, forget texts as members
     */
    public record Result(Settings settings, Scores forget, Scores holdout, Map<MembershipScore, Double> auc) {

        /** MUSE's PrivLeak of this (unlearned) model against a reference model's result on the same texts. */
        public double privLeak(double referenceAuc) {
            return PrivLeak.of(auc.get(PrivLeak.SCORE), referenceAuc);
        }
    }

    private final LogLikelihood logLikelihood;
    private final Settings settings;

    public MembershipInference(LogLikelihood logLikelihood, Settings settings) {
        this.logLikelihood = logLikelihood;
        this.settings = settings;
    }

    /** Each score's AUC with the forget texts as members. */
    public Result compare(Scores forget, Scores holdout) {
        Map<MembershipScore, Double> auc = new EnumMap<>(MembershipScore.class);
        for (MembershipScore s : MembershipScore.values()) {
            auc.put(s, RocAuc.forgetAsMembers(forget.byScore().get(s), holdout.byScore().get(s)));
        }
        return new Result(settings, forget, holdout, auc);
    }

    /**
     * Every score of every document; all documents' windows go through the model together, in batches.
     *
     * @throws IllegalArgumentException naming the document (1-based) that encodes to no tokens, or whose
     *                                  answer does not fit the model's context
     */
    public Scores score(List<Document> documents) {
        List<LogLikelihood.TokenRequest> requests = new ArrayList<>();
        int[] firstRequest = new int[documents.size() + 1];
        for (int d = 0; d < documents.size(); d++) {
            firstRequest[d] = requests.size();
            requests.addAll(requests(documents.get(d), d));
        }
        firstRequest[documents.size()] = requests.size();
        List<LogLikelihood.TokenLogProbs> perToken = logLikelihood.tokenLogProbs(requests);
        Map<MembershipScore, double[]> byScore = new EnumMap<>(MembershipScore.class);
        for (MembershipScore s : MembershipScore.values()) {
            byScore.put(s, new double[documents.size()]);
        }
        for (int d = 0; d < documents.size(); d++) {
            MembershipText text = text(documents.get(d), perToken.subList(firstRequest[d], firstRequest[d + 1]));
            for (MembershipScore s : MembershipScore.values()) {
                byScore.get(s)[d] = s.of(text, settings.k());
            }
        }
        return new Scores(documents.size(), byScore);
    }

    private List<LogLikelihood.TokenRequest> requests(Document doc, int index) {
        if (doc.isQuestionAnswer()) {
            LogLikelihood.TokenRequest r = logLikelihood.encode(new LogLikelihood.Request(doc.prompt(), doc.completion()));
            if (r.continuation().length > logLikelihood.maxLength()) {
                throw new IllegalArgumentException("document " + (index + 1) + ": its answer of "
                        + r.continuation().length + " tokens is longer than the model's context of "
                        + logLikelihood.maxLength());
            }
            return List.of(r);
        }
        int[] tokens = logLikelihood.tokenizer().encode(doc.text(), false, false);
        if (tokens.length == 0) {
            throw new IllegalArgumentException("document " + (index + 1) + " encodes to no tokens");
        }
        return Perplexity.rollingWindows(tokens, logLikelihood.prefixToken(), logLikelihood.maxLength());
    }

    /** The document's windows joined back into one token sequence, with the text zlib sees. */
    private static MembershipText text(Document doc, List<LogLikelihood.TokenLogProbs> windows) {
        int n = windows.stream().mapToInt(w -> w.logProbs().length).sum();
        double[] logProbs = new double[n];
        double[] mean = new double[n];
        double[] variance = new double[n];
        int at = 0;
        for (LogLikelihood.TokenLogProbs w : windows) {
            int len = w.logProbs().length;
            System.arraycopy(w.logProbs(), 0, logProbs, at, len);
            System.arraycopy(w.vocabMean(), 0, mean, at, len);
            System.arraycopy(w.vocabVariance(), 0, variance, at, len);
            at += len;
        }
        // open-unlearning compresses the decoded answer tokens, which drop the space before the answer
        String scored = doc.isQuestionAnswer() ? doc.completion().strip() : doc.text();
        return new MembershipText(scored, logProbs, mean, variance);
    }
}
