package dev.falcon.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.attack.AttackCurve;
import dev.falcon.attack.AttackInputs;
import dev.falcon.data.Document;
import dev.falcon.eval.Accuracy;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.eval.MembershipInference;
import dev.falcon.eval.MembershipScore;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.tokenizer.ChatTemplate;
import dev.falcon.tokenizer.Tokenizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The audit of an unlearned model: the whole attack battery at its budgets on the unlearned model and, as
 * the control, on the original (so that a curve shows what an attack recovers, not what it destroys: 4-bit
 * quantization of a small model lowers every model's accuracy alike), forget and retain accuracy, and
 * membership inference on forget versus held-out texts; then the {@link Verdict}. One model is in memory at
 * a time.
 */
public final class Audit {

    private final AuditSettings settings;
    private final Tokenizer tok;
    private final Optional<ChatTemplate> chat;
    private final AuditListener listener;
    private final AttackCells cells;

    /** Every model is read with {@code tok}, its questions through {@code chat} when present. */
    public Audit(AuditSettings settings, Tokenizer tok, Optional<ChatTemplate> chat, AuditListener listener) {
        this(settings, tok, chat, listener, null);
    }

    private Audit(AuditSettings settings, Tokenizer tok, Optional<ChatTemplate> chat, AuditListener listener,
                  AttackCells cells) {
        this.settings = settings;
        this.tok = tok;
        this.chat = chat;
        this.listener = listener;
        this.cells = cells;
    }

    /** This audit with its attack curves measured by {@code cells} (a cluster's tasks) instead of here. */
    public Audit attacksIn(AttackCells cells) {
        return new Audit(settings, tok, chat, listener, cells);
    }

    /** The battery for models of {@code config}: call before loading a model, so that bad budgets fail first. */
    public AttackBattery plan(LlamaConfig config, AuditInputs inputs) {
        return AttackBattery.plan(settings, config, inputs.attackInputs(settings.form()));
    }

    /**
     * Runs the battery on the original, the control, then on the unlearned model.
     *
     * @param files the SHA-256 of the input files ({@link FileHashes}), recorded as given
     */
    public AuditReport run(AttackBattery battery, AuditInputs inputs, ModelAccess unlearned, ModelAccess original,
                           ObjectNode files) {
        return run(battery, inputs, unlearned, original, control(battery, inputs, original), files);
    }

    /**
     * The battery on the original model alone: the control of every audit of a model unlearned from it with
     * the same battery and inputs, so that several unlearned models share one run of it.
     */
    public ModelFindings control(AttackBattery battery, AuditInputs inputs, ModelAccess original) {
        return findings("original", original, battery, inputs, null);
    }

    /** Runs the battery on the unlearned model and judges it against {@code control}, the original's findings. */
    public AuditReport run(AttackBattery battery, AuditInputs inputs, ModelAccess unlearned, ModelAccess original,
                           ModelFindings control, ObjectNode files) {
        ModelFindings u = findings("unlearned", unlearned, battery, inputs, original);
        return new AuditReport(settings, inputs.chance(), inputs.forget().items().size(),
                inputs.retain().items().size(), battery, u, control, inputs.referenceAuc(), files);
    }

    /** Each membership score's AUC under {@code reference}, for {@link AuditInputs#referenceAuc}. */
    public Map<MembershipScore, Double> referenceAuc(ModelAccess reference, List<Document> forgetText,
                                                     List<Document> holdoutText) {
        AtomicReference<Map<MembershipScore, Double>> auc = new AtomicReference<>();
        reference.with(model -> {
            listener.phase("membership inference on the reference", 2);
            auc.set(membership(scorer(model, reference), forgetText, holdoutText).auc());
        });
        return auc.get();
    }

    /**
     * @param original the original model for attacks that compare with it (direction-ablation), loaded beside the
     *                 model only for those; null when the model is the original itself (the control run)
     */
    private ModelFindings findings(String who, ModelAccess access, AttackBattery battery, AuditInputs inputs,
                                   ModelAccess original) {
        AtomicReference<ModelFindings> out = new AtomicReference<>();
        access.with(model -> out.set(findings(who, scorer(model, access), battery, inputs,
                original == null ? ModelAccess.of(model) : original, original == null)));
        return out.get();
    }

    /** @param control whether the model is the original itself */
    private ModelFindings findings(String who, LogLikelihood scorer, AttackBattery battery, AuditInputs inputs,
                                   ModelAccess original, boolean control) {
        listener.phase("forget and retain questions on the " + who + " model", 2);
        McqEvaluator evaluator = new McqEvaluator(scorer);
        Accuracy forget = evaluator.score(inputs.forget(), settings.form());
        listener.step();
        Accuracy retain = evaluator.score(inputs.retain(), settings.form());
        listener.step();
        Map<String, AttackCurve> curves = cells == null ? curves(who, scorer, battery, inputs, original)
                : cellCurves(who, battery, control);
        Optional<MembershipInference.Result> membership = Optional.empty();
        if (inputs.hasMembershipInference()) {
            listener.phase("membership inference on the " + who + " model", 2);
            membership = Optional.of(membership(scorer, inputs.forgetText(), inputs.holdoutText()));
        }
        return new ModelFindings(forget, retain, curves, membership);
    }

    /** Each attack's curve on the model here, by attack name in battery order. */
    private Map<String, AttackCurve> curves(String who, LogLikelihood scorer, AttackBattery battery,
                                            AuditInputs inputs, ModelAccess original) {
        Map<String, AttackCurve> curves = new LinkedHashMap<>();
        for (AttackBattery.Planned p : battery.planned()) {
            listener.phase(p.attack().name() + " on the " + who + " model", p.budgets().size());
            AttackInputs attackInputs = inputs.attackInputs(settings.form());
            if (p.attack().needsOriginal()) {
                original.with(o -> curves.put(p.attack().name(), curve(p, scorer, attackInputs.withOriginal(o))));
            } else {
                curves.put(p.attack().name(), curve(p, scorer, attackInputs));
            }
        }
        return curves;
    }

    /** Each attack's curve from its cell, by attack name in battery order. */
    private Map<String, AttackCurve> cellCurves(String who, AttackBattery battery, boolean onOriginal) {
        listener.phase("every attack on the " + who + " model, one cell each", battery.budgetCount());
        List<AttackCurve> measured = cells.curves(battery, onOriginal);
        Map<String, AttackCurve> curves = new LinkedHashMap<>();
        for (int i = 0; i < battery.planned().size(); i++) {
            curves.put(battery.planned().get(i).attack().name(), measured.get(i));
            measured.get(i).points().forEach(point -> listener.step());
        }
        return curves;
    }

    private AttackCurve curve(AttackBattery.Planned p, LogLikelihood scorer, AttackInputs attackInputs) {
        return p.attack().run(scorer, attackInputs, p.budgets(), budget -> listener.step());
    }

    /** The scorer of {@code model}, its batches scored where {@code access} says. */
    private LogLikelihood scorer(LlamaModel model, ModelAccess access) {
        return new LogLikelihood(model, tok, settings.addBos(), settings.batchSize()).withChatTemplate(chat)
                .withRunner(access.runner());
    }

    private MembershipInference.Result membership(LogLikelihood scorer, List<Document> forget, List<Document> holdout) {
        MembershipInference mi = new MembershipInference(scorer, MembershipInference.Settings.DEFAULT);
        MembershipInference.Scores members = scoreTexts(mi, "forget", forget);
        MembershipInference.Scores others = scoreTexts(mi, "held-out", holdout);
        return mi.compare(members, others);
    }

    private MembershipInference.Scores scoreTexts(MembershipInference mi, String which, List<Document> texts) {
        try {
            MembershipInference.Scores scores = mi.score(texts);
            listener.step();
            return scores;
        } catch (IllegalArgumentException e) {
            throw new InputException("the " + which + " texts: " + e.getMessage(), e);
        }
    }
}
