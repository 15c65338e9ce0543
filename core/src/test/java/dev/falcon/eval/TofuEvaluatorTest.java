package dev.falcon.eval;

import dev.falcon.ByteTokenizer;
import dev.falcon.InputException;
import dev.falcon.data.TofuItem;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a uniform model every answer token costs ln V whatever the answer, so every mean NLL is
 * ln V: P(a) = 1/V, R = exp(ln V - ln V) = 1 for answers of any length, and the share of the
 * answer among 1 + k equally likely candidates is 1/(1 + k). The greedy answer is token 0 again
 * and again (first of tied logits), which decodes to no text: ROUGE-L 0.
 */
class TofuEvaluatorTest {

    private static final Path FILE = Path.of("forget01.json");

    private final TofuEvaluator evaluator =
            new TofuEvaluator(new LogLikelihood(TinyModels.uniform(128), new ByteTokenizer(), false, 4), 8);

    private static TofuItem item(String paraphrased, String... perturbed) {
        return new TofuItem("Who wrote it?", "Jane Doe wrote it.", paraphrased, List.of(perturbed), FILE, 3);
    }

    @Test
    void forgetSetScores() {
        TofuResult r = evaluator.evaluate("forget01", List.of(
                item("It was written by Jane Doe.", "Bob wrote it.", "A much longer wrong answer, by Al."),
                item("Jane Doe.", "No.")));
        assertEquals(TofuResult.Kind.FORGET, r.kind());
        assertEquals(1.0 / ByteTokenizer.VOCAB, r.probability(), 1e-6);
        for (double ratio : r.truthRatios()) {
            assertEquals(1.0, ratio, 1e-5);
        }
        assertEquals(1.0, r.truthRatioScore(), 1e-5);
        assertEquals(0.0, r.rougeL());
        assertEquals("", r.samples().get(0).generated());
        // identical samples of truth ratios: KS distance 0, p-value 1
        assertEquals(1.0, r.forgetQuality(new double[] {1.0, 1.0, 1.0}), 1e-9);
    }

    @Test
    void utilitySetsAndModelUtility() {
        TofuResult retain = evaluator.evaluate("retain_perturbed", List.of(item("Jane did.", "Bob did.")));
        TofuResult authors = evaluator.evaluate("real_authors_perturbed", List.of(item(null, "Bob.", "Al.", "Cy.")));
        TofuResult facts = evaluator.evaluate("world_facts_perturbed", List.of(item(null, "Bob.")));
        assertEquals(TofuResult.Kind.RETAIN, retain.kind());
        assertEquals(0.0, retain.truthRatioScore(), 1e-5);
        assertEquals(0.25, authors.probability(), 1e-6);
        assertEquals(0.5, facts.probability(), 1e-6);
        // the retain truth score is 0, and a harmonic mean with a 0 is 0
        assertEquals(0.0, TofuResult.modelUtility(List.of(retain, authors, facts)).orElseThrow());
        assertFalse(TofuResult.modelUtility(List.of(retain, authors)).isPresent());
    }

    @Test
    void setWithoutPerturbedAnswersHasNoTruthRatio() {
        TofuResult r = evaluator.evaluate("retain90", List.of(item(null)));
        assertTrue(Double.isNaN(r.truthRatioScore()));
        assertEquals(1.0 / ByteTokenizer.VOCAB, r.probability(), 1e-6);
    }

    @Test
    void answerLongerThanTheContextIsAnInputError() {
        TofuEvaluator small = new TofuEvaluator(
                new LogLikelihood(TinyModels.uniform(16), new ByteTokenizer(), false, 4), 4);
        TofuItem long_ = new TofuItem("Q?", "an answer far longer than sixteen bytes", null, List.of(), FILE, 7);
        InputException e = assertThrows(InputException.class, () -> small.evaluate("forget01", List.of(long_)));
        assertTrue(e.getMessage().startsWith("forget01.json: line 7: "), e.getMessage());
    }
}
