package dev.falcon.attack;

import dev.falcon.ByteTokenizer;
import dev.falcon.InputException;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqItem;
import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.RandomModel;
import dev.falcon.train.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GreedyCoordinateGradientTest {

    private static final ByteTokenizer TOKENIZER = new ByteTokenizer(16);
    private static final McqDataset QUESTIONS = McqItems.of("toy", 0, 0, 1, 2, 3, 1, 2, 0, 3, 2, 1);
    private static final GcgSettings SMALL = new GcgSettings(4, 8, 16, 3, 7);

    /** A random model with embeddings and head 50 times larger, so that the suffix moves the answer's probability. */
    private static LlamaModel sharp(long seed, DType dtype) {
        LlamaModel m = RandomModel.create(TinyModels.config(), seed, dtype);
        m.setParam(LlamaModel.EMBED, m.param(LlamaModel.EMBED).mul(50));
        m.setParam(LlamaModel.LM_HEAD, m.param(LlamaModel.LM_HEAD).mul(50));
        return m;
    }

    private static LogLikelihood scorer(LlamaModel model) {
        return new LogLikelihood(model, TOKENIZER, false, 8);
    }

    /** The right answers of {@code items} as the attack's targets. */
    private static List<LogLikelihood.TokenRequest> targets(LlamaModel model, List<McqItem> items) {
        return GreedyCoordinateGradient.targets(scorer(model), McqForm.LETTERED, items);
    }

    /** The scorer's mean negative log-likelihood of the targets behind {@code suffix}. */
    private static double scoredLoss(LogLikelihood scorer, List<LogLikelihood.TokenRequest> targets, int[] suffix) {
        return -scorer.scoreTokens(targets.stream().map(GreedyCoordinateGradient.after(suffix)).toList()).stream()
                .mapToDouble(LogLikelihood.Score::logLikelihood).average().orElseThrow();
    }

    /** The one-hot path (one_hot @ E fed to the blocks) computes the same logits as the embedding lookup. */
    @Test
    void oneHotEmbeddingGivesTheLookupsLogits() {
        LlamaModel model = sharp(1, DType.F32);
        int[] suffix = {3, 9, 14, 0};
        GreedyCoordinateGradient.Rows rows = new GreedyCoordinateGradient.Rows(targets(model,
                QUESTIONS.items().subList(0, 3)), suffix);
        try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
            Tensor viaOneHot = rows.logits(model, GreedyCoordinateGradient.oneHot(suffix, 16, DType.F32));
            Tensor viaLookup = model.forward(rows.batch, null);
            assertEquals(0.0, viaOneHot.sub(viaLookup).abs().max().item(), 1e-5);
        }
    }

    /** The loss on the one-hot path is the scorer's mean negative log-likelihood of the right answers. */
    @Test
    void oneHotLossIsTheScorersLoss() {
        LlamaModel model = sharp(2, DType.F32);
        int[] suffix = {5, 5, 11, 4};
        List<LogLikelihood.TokenRequest> targets = targets(model, QUESTIONS.items().subList(2, 6));
        try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
            double loss = new GreedyCoordinateGradient.Rows(targets, suffix)
                    .loss(model, GreedyCoordinateGradient.oneHot(suffix, 16, DType.F32)).item();
            assertEquals(scoredLoss(scorer(model), targets, suffix), loss, 1e-4);
        }
    }

    /** In float64, the gradient with respect to one-hot entries matches central differences of the loss. */
    @Test
    void oneHotGradientMatchesFiniteDifferences() {
        LlamaModel model = sharp(3, DType.F64);
        int[] suffix = {7, 3, 12, 6};
        List<LogLikelihood.TokenRequest> targets = targets(model, QUESTIONS.items().subList(0, 2));
        double[] gradient = GreedyCoordinateGradient.gradient(model, targets, suffix).toDoubles();
        GreedyCoordinateGradient.Rows rows = new GreedyCoordinateGradient.Rows(targets, suffix);
        double eps = 1e-5;
        int[][] entries = {{0, 7}, {0, 4}, {1, 15}, {2, 12}, {3, 0}, {3, 9}};
        for (int[] e : entries) {
            double plus = lossWith(model, rows, suffix, e, eps);
            double minus = lossWith(model, rows, suffix, e, -eps);
            double numeric = (plus - minus) / (2 * eps);
            assertEquals(numeric, gradient[e[0] * 16 + e[1]], 1e-6 * Math.max(1, Math.abs(numeric)),
                    "d loss / d one-hot[" + e[0] + ", " + e[1] + "]");
        }
    }

    private static double lossWith(LlamaModel model, GreedyCoordinateGradient.Rows rows, int[] suffix, int[] entry,
                                   double delta) {
        try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
            double[] oneHot = GreedyCoordinateGradient.oneHot(suffix, 16, DType.F64).toDoubles();
            oneHot[entry[0] * 16 + entry[1]] += delta;
            return rows.loss(model, Tensor.of(oneHot, suffix.length, 16)).item();
        }
    }

    @Test
    void zeroIterationsIsThePlainScore() {
        LogLikelihood scorer = scorer(sharp(4, DType.F32));
        GreedyCoordinateGradient gcg = new GreedyCoordinateGradient(SMALL);
        HeldOutQuestions split = gcg.split(QUESTIONS);
        AttackCurve curve = gcg.run(scorer, AttackInputs.of(QUESTIONS, McqForm.LETTERED), List.of("0", "3"), b -> { });
        assertEquals(new McqEvaluator(scorer).score(split.scored(), McqForm.LETTERED), curve.points().get(0).accuracy());
        assertEquals(split.scored().items().size(), curve.points().get(1).accuracy().total());
        assertEquals(SMALL.suffixLength(), curve.details().get("suffix_by_budget").get("3").size());
        assertThrows(InputException.class, () -> gcg.check(List.of("-1"), AttackInputs.of(QUESTIONS, McqForm.LETTERED)));
    }

    /**
     * The chosen targets are the held-out questions' right answers. Measured with these settings and seed:
     * the mean loss falls from 12.33 nats to 10.44 after 2 iterations and 10.44 after 10 (a rise of 1.89 nats in
     * the mean log-likelihood of the right answers); the test asks for 1 nat.
     */
    @Test
    void iterationsRaiseTheTargetsLogLikelihood() {
        LogLikelihood scorer = scorer(sharp(5, DType.F32));
        GreedyCoordinateGradient gcg = new GreedyCoordinateGradient(SMALL);
        List<McqItem> heldOut = gcg.split(QUESTIONS).heldOut();
        List<GreedyCoordinateGradient.Suffix> run = gcg.optimise(scorer, McqForm.LETTERED, heldOut, List.of(0, 2, 10));
        assertArrayEquals(new int[] {'!' % 13 + 3, '!' % 13 + 3, '!' % 13 + 3, '!' % 13 + 3}, run.get(0).tokens());
        assertTrue(run.get(1).loss() <= run.get(0).loss() && run.get(2).loss() <= run.get(1).loss(),
                "the best loss never rises with more iterations");
        assertTrue(run.get(0).loss() - run.get(2).loss() > 1.0, "10 iterations gain " + (run.get(0).loss()
                - run.get(2).loss()));
        // the reported loss is what the scorer gives the suffix on the held-out questions
        assertEquals(run.get(2).loss(), scoredLoss(scorer, targets(scorer.model(), heldOut), run.get(2).tokens()),
                1e-9);
    }

    @Test
    void theSameSeedFindsTheSameSuffix() {
        LogLikelihood scorer = scorer(sharp(6, DType.F32));
        GreedyCoordinateGradient gcg = new GreedyCoordinateGradient(SMALL);
        List<McqItem> heldOut = gcg.split(QUESTIONS).heldOut();
        int[] first = gcg.optimise(scorer, McqForm.LETTERED, heldOut, List.of(5)).get(0).tokens();
        int[] second = gcg.optimise(scorer, McqForm.LETTERED, heldOut, List.of(5)).get(0).tokens();
        assertArrayEquals(first, second);
    }

    @Test
    void heldOutQuestionsAreDrawnBySeedAndNeverScored() {
        HeldOutQuestions split = new GreedyCoordinateGradient(SMALL).split(QUESTIONS);
        assertEquals(3, split.heldOut().size());
        assertEquals(QUESTIONS.items().size() - 3, split.scored().items().size());
        List<McqItem> all = new ArrayList<>(split.scored().items());
        all.addAll(split.heldOut());
        assertEquals(QUESTIONS.items().size(), all.stream().distinct().count());
        assertEquals(split.heldOut(), new GreedyCoordinateGradient(SMALL).split(QUESTIONS).heldOut());
        assertThrows(InputException.class, () -> new GreedyCoordinateGradient(new GcgSettings(4, 8, 16, 10, 0))
                .split(QUESTIONS));
        assertThrows(InputException.class, () -> new GcgSettings(0, 8, 16, 3, 0));
    }
}
