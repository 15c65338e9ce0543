package dev.falcon.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.attack.JailbreakPrompts;
import dev.falcon.attack.LogitLens;
import dev.falcon.attack.RelearningAttack;
import dev.falcon.data.Document;
import dev.falcon.demo.world.FactWorld;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqItem;
import dev.falcon.demo.world.WorldDomain;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.LearningRateSchedule;
import dev.falcon.train.TrainSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The recovery attacks the demo runs on the base model and on each unlearned one, all on the
 * forget domains pooled (every question asked in the demo's MCQ form):
 * <ul>
 *   <li>logit lens: accuracy read from every layer, on the forget and on the retain questions;</li>
 *   <li>relearning: fine-tune on the statements about the first quarter of each forget domain's
 *       entities, score the questions about the other entities, which the attack never shows;
 *       facts of different fictional entities are independent, so accuracy that comes back there
 *       was still in the weights;</li>
 *   <li>jailbreak: every template of {@link JailbreakPrompts} before the forget questions.</li>
 * </ul>
 */
final class DemoAttacks {

    /** Relearning budget: a few passes over the attack's sentences at the base model's own learning rate. */
    static final int RELEARN_STEPS = 30;
    static final int RELEARN_EVAL_EVERY = 5;
    private static final double RELEARN_LR = 1e-3;
    private static final int RELEARN_BATCH = 8;
    /** Requests per scoring forward pass, as {@link DomainScores} scores. */
    private static final int BATCH = 32;

    /** What the attacks measured on one model. */
    record Outcome(LogitLens.Result forgetLens, LogitLens.Result retainLens, RelearningAttack.Result relearn,
                   JailbreakPrompts.Result jailbreak) {

        ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            ObjectNode lens = json.putObject("logit_lens");
            lens.set("forget", forgetLens.toJson());
            lens.set("retain", retainLens.toJson());
            json.set("relearn", relearn.toJson());
            json.set("jailbreak", jailbreak.toJson());
            return json;
        }
    }

    private final Tokenizer tok;
    private final McqForm form;
    private final DemoListener listener;
    private final McqDataset forget;
    private final McqDataset retain;
    private final List<Document> relearnText;
    private final McqDataset heldOut;
    private final int maxLength;
    private final long seed;

    /** {@code seed} orders the relearning attack's fine-tuning data. */
    DemoAttacks(FactWorld world, Tokenizer tok, McqForm form, int maxLength, long seed, DemoListener listener) {
        this.tok = tok;
        this.form = form;
        this.maxLength = maxLength;
        this.seed = seed;
        this.listener = listener;
        this.forget = pooled("forget", world, true);
        this.retain = pooled("retain", world, false);
        List<Document> text = new ArrayList<>();
        List<McqItem> held = new ArrayList<>();
        for (WorldDomain d : world.domains().stream().filter(WorldDomain::forget).toList()) {
            List<String> entities = world.entities(d.name());
            int shown = relearnEntities(entities.size());
            entities.subList(0, shown).forEach(e -> world.entityText(d.name(), e).stream().map(Document::plain)
                    .forEach(text::add));
            entities.subList(shown, entities.size()).forEach(e -> held.addAll(world.entityQuestions(d.name(), e)));
        }
        this.relearnText = List.copyOf(text);
        this.heldOut = new McqDataset("forget (held out)", held, List.of());
    }

    /** A quarter of the entities (at least one, and never all) are shown to the relearning attack. */
    static int relearnEntities(int entities) {
        return Math.max(1, Math.min(entities / 4, entities - 1));
    }

    /** Runs every attack on {@code model} (left untouched), reporting each as a phase named after {@code name}. */
    Outcome run(String name, LlamaModel model) {
        LogLikelihood scorer = new LogLikelihood(model, tok, true, BATCH);
        int layers = model.config().numLayers();
        listener.phase("logit lens " + name, 2 * layers);
        LogitLens lens = new LogitLens(scorer, form);
        LogitLens.Result forgetLens = lens.run(forget, l -> listener.step(""));
        LogitLens.Result retainLens = lens.run(retain, l -> listener.step(""));
        listener.phase("relearn " + name, RELEARN_STEPS);
        RelearningAttack.Result relearn = relearning().run(scorer, form, relearnText, heldOut,
                (step, total) -> listener.step(String.format(" loss %.4f", step.loss())));
        listener.phase("jailbreak " + name, 1);
        JailbreakPrompts.Result jailbreak = new JailbreakPrompts(scorer, form).run(forget);
        listener.step("");
        listener.done();
        return new Outcome(forgetLens, retainLens, relearn, jailbreak);
    }

    private RelearningAttack relearning() {
        TrainSettings settings = TrainSettings.builder().maxSteps(RELEARN_STEPS).lr(RELEARN_LR).batchSize(RELEARN_BATCH)
                .warmupFraction(0).schedule(LearningRateSchedule.Shape.CONSTANT).maxLength(maxLength).seed(seed)
                .weightDecay(0).build();
        return new RelearningAttack(settings, relearnText.size(), RELEARN_EVAL_EVERY);
    }

    /** Questions of every forget (or every retain) domain, as one task. */
    private static McqDataset pooled(String task, FactWorld world, boolean forget) {
        List<McqItem> items = world.domains().stream().filter(d -> d.forget() == forget)
                .flatMap(d -> world.questions(d.name()).stream()).toList();
        return new McqDataset(task, items, List.of());
    }
}
