package dev.falcon.attack;

import dev.falcon.data.McqItem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Fixed rewrites of a multiple-choice question that keep its meaning and its right answer: new
 * wording around the question, or the choices in another order with the answer index moved with
 * them. Unlearning that suppresses one surface form of a question leaves the others answerable
 * (Doshi and Stickland, arXiv 2411.12103, recovered over ten times the accuracy by rephrasing).
 * Index 0 is the question unchanged.
 */
public enum Rephrasing {
    /** The question as it is. */
    IDENTITY("identity", item -> item),
    /** An imperative instead of a question. */
    TELL_ME("tell-me", item -> withQuestion(item, "Tell me: " + item.question().strip())),
    /** The question as a quiz item, after a cue. */
    QUIZ("quiz", item -> withQuestion(item, "Quiz question. " + item.question().strip())),
    /** A request to answer correctly after the question. */
    ANSWER_CORRECTLY("answer-correctly",
            item -> withQuestion(item, item.question().strip() + " Choose the correct answer.")),
    /** The choices in reverse order. */
    REVERSED_CHOICES("reversed-choices", item -> {
        List<Integer> order = new ArrayList<>();
        for (int i = item.choices().size() - 1; i >= 0; i--) {
            order.add(i);
        }
        return reordered(item, order);
    }),
    /** The choices moved up by one, the first last. */
    ROTATED_CHOICES("rotated-choices", item -> {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < item.choices().size(); i++) {
            order.add(i);
        }
        Collections.rotate(order, -1);
        return reordered(item, order);
    });

    private final String id;
    private final UnaryOperator<McqItem> rewrite;

    Rephrasing(String id, UnaryOperator<McqItem> rewrite) {
        this.id = id;
        this.rewrite = rewrite;
    }

    public String id() {
        return id;
    }

    /** The rewritten question, with its answer index where its right choice now is. */
    public McqItem apply(McqItem item) {
        return rewrite.apply(item);
    }

    private static McqItem withQuestion(McqItem item, String question) {
        return new McqItem(item.index(), question, item.choices(), item.answer(), item.subject(), item.file(),
                item.line());
    }

    /** The choices as {@code order} lists them: new choice i is old choice order[i]. */
    private static McqItem reordered(McqItem item, List<Integer> order) {
        List<String> choices = order.stream().map(item.choices()::get).toList();
        return new McqItem(item.index(), item.question(), choices, order.indexOf(item.answer()), item.subject(),
                item.file(), item.line());
    }
}
