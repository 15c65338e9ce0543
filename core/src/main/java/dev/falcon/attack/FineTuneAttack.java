package dev.falcon.attack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.eval.Accuracy;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.model.LlamaConfig;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fine-tuning attacks, budget "documents x steps" ({@code 10x50}: 50 steps on the first 10 documents):
 * <ul>
 *   <li>{@code relearn}: on forget-domain text, the {@link RelearningAttack};</li>
 *   <li>{@code finetune-unrelated}: on retain-domain text only. Fine-tuning on data that shares
 *       nothing with the forget set brought back most of the unlearned accuracy in Deeb and Roger
 *       (arXiv 2410.08827) and Łucki et al. (arXiv 2409.18025): the knowledge was masked, not removed.</li>
 * </ul>
 * Both train through {@link RelearningAttack}, one run per number of documents measured at each of
 * its step budgets; {@code Dx0} is the model as given.
 */
public final class FineTuneAttack implements Attack {

    /** Which text the attack trains on. */
    public enum Corpus {
        FORGET("relearn"),
        RETAIN("finetune-unrelated");

        private final String attack;

        Corpus(String attack) {
            this.attack = attack;
        }

        List<Document> of(AttackInputs inputs) {
            return this == FORGET ? inputs.forgetText() : inputs.retainText();
        }
    }

    /** The default numbers of documents (capped at what the text has) and of steps. */
    static final List<Integer> DEFAULT_DOCUMENTS = List.of(10, 50);
    static final List<Integer> DEFAULT_STEPS = List.of(0, 10, 25, 50);

    /** A number of documents and of steps on them. */
    record Budget(int documents, int steps) {

        static Budget parse(String attack, String text) {
            String[] parts = text.split("x", -1);
            if (parts.length != 2) {
                throw new InputException("attack " + attack + ": budget '" + text + "' must be DOCUMENTSxSTEPS, "
                        + "e.g. 10x50");
            }
            return new Budget(Budgets.count(attack, parts[0], 1), Budgets.count(attack, parts[1], 0));
        }

        String label() {
            return documents + "x" + steps;
        }
    }

    private final Corpus corpus;
    private final FineTuneSettings settings;

    public FineTuneAttack(Corpus corpus, FineTuneSettings settings) {
        this.corpus = corpus;
        this.settings = settings;
    }

    @Override
    public String name() {
        return corpus.attack;
    }

    @Override
    public String budgetAxis() {
        return "documents x steps";
    }

    /** Steps 0, 10, 25 and 50 on 10 and on 50 documents, or on all there are when fewer. */
    @Override
    public List<String> defaultBudgets(LlamaConfig config, AttackInputs inputs) {
        int available = corpus.of(inputs).size();
        Set<String> budgets = new LinkedHashSet<>();
        for (int documents : DEFAULT_DOCUMENTS) {
            DEFAULT_STEPS.forEach(s -> budgets.add(new Budget(Math.max(1, Math.min(documents, available)), s).label()));
        }
        return List.copyOf(budgets);
    }

    @Override
    public void check(List<String> budgets, AttackInputs inputs) {
        Budgets.requireDistinct(name(), budgets);
        settings.training(1);
        int available = corpus.of(inputs).size();
        for (String b : budgets) {
            Budget budget = Budget.parse(name(), b);
            if (budget.documents() > available) {
                throw new InputException("attack " + name() + ": budget " + b + " trains on " + budget.documents()
                        + " documents, but the " + (corpus == Corpus.FORGET ? "forget" : "retain") + " text has "
                        + available);
            }
        }
    }

    @Override
    public AttackCurve run(LogLikelihood scorer, AttackInputs inputs, List<String> budgets,
                           Consumer<String> budgetDone) {
        check(budgets, inputs);
        Map<Integer, Set<Integer>> stepsByDocuments = new LinkedHashMap<>();
        budgets.stream().map(b -> Budget.parse(name(), b)).forEach(b ->
                stepsByDocuments.computeIfAbsent(b.documents(), d -> new LinkedHashSet<>()).add(b.steps()));
        Map<String, Double> accuracy = new LinkedHashMap<>();
        ObjectNode runs = JsonNodeFactory.instance.objectNode();
        stepsByDocuments.forEach((documents, steps) -> {
            int most = steps.stream().mapToInt(Integer::intValue).max().orElseThrow();
            if (most == 0) {
                accuracy.put(new Budget(documents, 0).label(),
                        new McqEvaluator(scorer).accuracy(inputs.questions(), inputs.form()));
            } else {
                RelearningAttack.Result r = RelearningAttack.measuredAfter(settings.training(most), documents, steps)
                        .run(scorer, inputs.form(), corpus.of(inputs), inputs.questions(), null);
                steps.forEach(s -> accuracy.put(new Budget(documents, s).label(), r.at(s)));
                runs.set(Integer.toString(documents), r.toJson());
            }
            steps.forEach(s -> budgetDone.accept(new Budget(documents, s).label()));
        });
        int questions = inputs.questions().items().size();
        List<AttackCurve.Point> points = budgets.stream().map(b -> new AttackCurve.Point(b,
                Accuracy.of(accuracy.get(Budget.parse(name(), b).label()), questions))).toList();
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        details.set("runs_by_documents", runs);
        return new AttackCurve(name(), budgetAxis(), inputs.questions().task(), points, details);
    }
}
