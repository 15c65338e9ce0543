package dev.falcon.attack;

import dev.falcon.InputException;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqItem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Forget questions an attack uses (as examples, or to optimise on) and never scores: drawn from the scored
 * set by a seed, the rest scored in their order.
 *
 * @param scored  the questions scored
 * @param heldOut the questions drawn, in their order in the set
 */
record HeldOutQuestions(McqDataset scored, List<McqItem> heldOut) {

    /**
     * Draws {@code count} of {@code questions} with {@code seed}.
     *
     * @param use what the held-out questions are for, as the error message says it
     * @throws InputException when that leaves no question to score
     */
    static HeldOutQuestions draw(String attack, McqDataset questions, int count, long seed, String use) {
        if (questions.items().size() <= count) {
            throw new InputException("attack " + attack + ": holding out " + count + " of " + questions.items().size()
                    + " questions " + use + " leaves none to score");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < questions.items().size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        List<McqItem> held = order.subList(0, count).stream().sorted().map(questions.items()::get).toList();
        List<McqItem> scored = questions.items().stream().filter(item -> !held.contains(item)).toList();
        return new HeldOutQuestions(new McqDataset(questions.task(), scored, questions.problems()), held);
    }
}
