package dev.falcon.attack;

import dev.falcon.InputException;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqItem;
import dev.falcon.data.McqPrompt;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.ByteTokenizer;
import dev.falcon.train.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JailbreakPromptsTest {

    private final McqDataset data = McqItems.of("toy", 0, 2, 0, 3, 1, 1);

    @ParameterizedTest
    @EnumSource(McqForm.class)
    void everyTemplateKeepsTheContextAndChoicesBehindItsOwnPrefix(McqForm form) {
        for (McqItem item : data.items()) {
            McqPrompt plain = form.prompt(item);
            Set<String> prefixes = new HashSet<>();
            for (JailbreakPrompts.Template t : JailbreakPrompts.Template.values()) {
                McqPrompt wrapped = JailbreakPrompts.prompt(t, form, data, item);
                String prefix = JailbreakPrompts.prefix(t, form, data, item);
                assertEquals(prefix + plain.context(), wrapped.context(), t.id());
                assertEquals(plain.continuations(), wrapped.continuations(), t.id());
                assertFalse(prefix.isEmpty(), t.id());
                prefixes.add(prefix);
            }
            assertEquals(JailbreakPrompts.Template.values().length, prefixes.size(), "prefixes must differ");
        }
    }

    /** Item 3 (q3) is shown q4, then q0 and q1 after wrapping around, each with its right letter. */
    @Test
    void fewShotShowsTheNextQuestionsWithTheirAnswersButNotItself() {
        String header = "The following are multiple choice questions (with answers) about toy.\n\n";
        String expected = header + "q4?\nA. x4\nB. y\nC. z4\nD. w\nAnswer: B\n\n"
                + header + "q0?\nA. x0\nB. y\nC. z0\nD. w\nAnswer: C\n\n"
                + header + "q1?\nA. x1\nB. y\nC. z1\nD. w\nAnswer: A\n\n";
        assertEquals(expected, JailbreakPrompts.prefix(JailbreakPrompts.Template.FEW_SHOT, McqForm.LETTERED, data,
                data.items().get(3)));
    }

    /** The cloze form's shots answer with the choice text itself. */
    @Test
    void clozeFewShotAnswersWithTheChoiceText() {
        String header = "The following are questions (with answers) about toy.\n\n";
        String expected = header + "Question: q4?\nAnswer: y\n\n"
                + header + "Question: q0?\nAnswer: z0\n\n"
                + header + "Question: q1?\nAnswer: x1\n\n";
        assertEquals(expected, JailbreakPrompts.prefix(JailbreakPrompts.Template.FEW_SHOT, McqForm.CLOZE, data,
                data.items().get(3)));
    }

    @Test
    void fewShotNeedsTwoQuestions() {
        McqDataset one = McqItems.of("single", 0, 1);
        assertThrows(InputException.class,
                () -> JailbreakPrompts.prefix(JailbreakPrompts.Template.FEW_SHOT, McqForm.LETTERED, one,
                        one.items().get(0)));
    }

    /**
     * Each template's accuracy equals one computed here straight from log-likelihoods of the prefixed
     * context, and the baseline from the plain one.
     */
    @Test
    void accuraciesAreArgmaxesOfThePrefixedLogLikelihoods() {
        LogLikelihood ll = new LogLikelihood(TinyModels.create(3), new ByteTokenizer(16), false, 8);
        JailbreakPrompts.Result r = new JailbreakPrompts(ll, McqForm.LETTERED).run(data);
        List<String> ids = new ArrayList<>();
        for (JailbreakPrompts.Template t : JailbreakPrompts.Template.values()) {
            ids.add(t.id());
            assertEquals(accuracy(ll, t), r.accuracyByTemplate().get(t.id()), 0.0, t.id());
        }
        assertEquals(ids, List.copyOf(r.accuracyByTemplate().keySet()));
        assertEquals(accuracy(ll, null), r.baseline(), 0.0);
        assertEquals(r.accuracyByTemplate().get(r.best()), r.max(), 0.0);
        assertEquals(5, r.questions());
    }

    private double accuracy(LogLikelihood ll, JailbreakPrompts.Template t) {
        int right = 0;
        for (McqItem item : data.items()) {
            String context = (t == null ? "" : JailbreakPrompts.prefix(t, McqForm.LETTERED, data, item))
                    + McqPrompt.lettered(item).context();
            int best = 0;
            double bestLl = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 4; c++) {
                double v = ll.score(List.of(new LogLikelihood.Request(context, " " + (char) ('A' + c)))).get(0)
                        .logLikelihood();
                if (v > bestLl) {
                    bestLl = v;
                    best = c;
                }
            }
            right += best == item.answer() ? 1 : 0;
        }
        return right / 5.0;
    }
}
