package dev.falcon.attack;

import dev.falcon.InputException;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqItem;
import dev.falcon.data.McqPrompt;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.model.LlamaConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * In-context examples as an attack: k solved forget-domain questions before each scored one, in
 * lm-evaluation-harness's k-shot layout (the task description once, then each example's question
 * followed by its right answer and a blank line, then the question). Few-shot prompting brought back
 * much of what unlearning had hidden in Łucki et al. (arXiv 2409.18025) and Doshi and Stickland
 * (arXiv 2411.12103). The budget is k; k = 0 is the plain prompt, character for character.
 *
 * <p>The examples never include a scored question: they come from separate solved questions when
 * given, else from {@link FewShotSettings#heldOut} questions drawn from the scored set by the seed and
 * not scored. Each question's examples are a seeded draw of its own, and the k examples of a smaller
 * budget are the first of a larger one's.
 */
public final class FewShotAttack implements Attack {

    /** The default budgets. */
    static final List<Integer> DEFAULT_K = List.of(0, 1, 3, 5);

    /** The questions scored and the pool their examples are drawn from. */
    record Split(McqDataset scored, List<McqItem> pool) {
    }

    private final FewShotSettings settings;

    public FewShotAttack(FewShotSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "few-shot";
    }

    @Override
    public String budgetAxis() {
        return "k";
    }

    @Override
    public List<String> defaultBudgets(LlamaConfig config, AttackInputs inputs) {
        return DEFAULT_K.stream().map(Object::toString).toList();
    }

    @Override
    public void check(List<String> budgets, AttackInputs inputs) {
        Budgets.requireDistinct(name(), budgets);
        Split split = split(inputs);
        for (String b : budgets) {
            if (Budgets.count(name(), b, 0) > split.pool().size()) {
                throw new InputException("attack " + name() + ": budget " + b + " needs " + b + " solved questions, "
                        + "there are " + split.pool().size());
            }
        }
    }

    /** Each budget scored on its own, no details. */
    @Override
    public boolean pointsIndependent() {
        return true;
    }

    @Override
    public AttackCurve run(LogLikelihood scorer, AttackInputs inputs, List<String> budgets,
                           Consumer<String> budgetDone) {
        check(budgets, inputs);
        Split split = split(inputs);
        McqEvaluator evaluator = new McqEvaluator(scorer);
        return AttackCurve.measure(this, split.scored(), budgets, b -> evaluator.evaluate(split.scored(),
                item -> prompt(inputs.form(), split.pool(), item, Budgets.count(name(), b, 0))).accuracy(),
                budgetDone);
    }

    /**
     * The scored questions and the example pool: the given solved questions, or {@code heldOut}
     * questions drawn by the seed (the rest are scored, in their order).
     */
    Split split(AttackInputs inputs) {
        McqDataset questions = inputs.questions();
        if (inputs.shots() != null) {
            return new Split(questions, inputs.shots().items());
        }
        HeldOutQuestions drawn = HeldOutQuestions.draw(name(), questions, settings.heldOut(), settings.seed(),
                "as examples (give solved questions separately)");
        return new Split(drawn.scored(), drawn.heldOut());
    }

    /** {@code item}'s prompt in {@code form} after {@code k} solved examples from {@code pool}. */
    McqPrompt prompt(McqForm form, List<McqItem> pool, McqItem item, int k) {
        McqPrompt plain = form.prompt(item);
        StringBuilder context = new StringBuilder(form.description(item));
        for (McqItem shot : examples(pool, item, k)) {
            McqPrompt solved = form.prompt(shot);
            context.append(withoutDescription(form, shot, solved)).append(solved.continuations().get(shot.answer()))
                    .append("\n\n");
        }
        context.append(withoutDescription(form, item, plain));
        return new McqPrompt(context.toString(), plain.continuations());
    }

    /** The first {@code k} of the pool in an order drawn for {@code item} alone. */
    List<McqItem> examples(List<McqItem> pool, McqItem item, int k) {
        List<McqItem> order = new ArrayList<>(pool);
        Collections.shuffle(order, new Random(settings.seed() * 1_000_003L + item.index()));
        return order.subList(0, k);
    }

    private static String withoutDescription(McqForm form, McqItem item, McqPrompt prompt) {
        return prompt.context().substring(form.description(item).length());
    }
}
