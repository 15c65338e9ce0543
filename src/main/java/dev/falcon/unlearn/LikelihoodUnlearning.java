package dev.falcon.unlearn;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.CausalLmLoss;
import dev.falcon.train.LmBatch;
import dev.falcon.train.LmBatches;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baselines that work on the model's output likelihood of the forget text: gradient ascent,
 * gradient difference, NPO and SimNPO. The forget term is computed on a full forward pass (only
 * answer tokens count for question/answer data); GradDiff, NPO and SimNPO add retainWeight times the
 * LM loss of a retain batch of the same topic (NPO with it is NPO+RT).
 */
public final class LikelihoodUnlearning implements UnlearningMethod {

    public static final String FORGET_LOSS = "forget";
    public static final String RETAIN_LOSS = "retain";

    /** How the forget text is pushed away. */
    public enum Objective {
        /** Maximise the forget LM loss: minimise -CE. */
        GA("ga"),
        /** GA plus the retain LM loss. */
        GRAD_DIFF("graddiff"),
        /** {@link PreferenceLosses#npo} against the unedited model's log-likelihoods, computed once up front. */
        NPO("npo"),
        /** {@link PreferenceLosses#simNpo}. */
        SIM_NPO("simnpo");

        private final String methodName;

        Objective(String methodName) {
            this.methodName = methodName;
        }
    }

    private final Objective objective;
    private final BaselineSettings s;

    public LikelihoodUnlearning(Objective objective, BaselineSettings settings) {
        this.objective = objective;
        this.s = settings;
    }

    @Override
    public String name() {
        return objective.methodName;
    }

    @Override
    public TrainingLog unlearn(LlamaModel model, EditedParameters edited, UnlearnInputs inputs,
                               TrainingLog.Listener listener) {
        int topics = inputs.forget().size();
        List<List<LmBatch>> forget = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            forget.add(LmBatches.consecutive(inputs.forget().get(t), inputs.tokenizer(), s.batchSize(),
                    s.maxLength(t)));
        }
        int steps = StepPlan.steps(s.maxBatches(), s.epochs(), forget);
        List<List<LmBatch>> forgetPlan = StepPlan.arrange(forget, steps, "forget");
        List<List<Tensor>> references = objective == Objective.NPO
                ? StepPlan.arrange(referenceLogLikelihoods(model, forget), steps, "forget") : null;
        List<List<LmBatch>> retainPlan = retainWeight() > 0 ? retainPlan(inputs, steps) : null;
        return BaselineLoop.run(edited, steps, topics, s.lr(), (k, topic) -> {
            int j = k / topics;
            Map<String, Tensor> terms = new LinkedHashMap<>();
            Tensor ref = references == null ? null : references.get(topic).get(j);
            terms.put(FORGET_LOSS, forgetTerm(model, forgetPlan.get(topic).get(j), ref).mul(s.forgetWeight()));
            if (retainPlan != null) {
                terms.put(RETAIN_LOSS, CausalLmLoss.loss(model, retainPlan.get(topic).get(j)).mul(retainWeight()));
            }
            return terms;
        }, listener);
    }

    private Tensor forgetTerm(LlamaModel model, LmBatch b, Tensor reference) {
        Tensor logits = model.forward(b.batch(), null);
        return switch (objective) {
            case GA, GRAD_DIFF -> CausalLmLoss.mean(logits, b).neg();
            case NPO -> PreferenceLosses.npo(CausalLmLoss.sequenceLogLikelihood(logits, b), reference, s.npoBeta());
            case SIM_NPO -> PreferenceLosses.simNpo(CausalLmLoss.sequenceMeanLogLikelihood(logits, b),
                    s.simNpoBeta(), s.simNpoGamma());
        };
    }

    /** GA has no retain term by definition. */
    private double retainWeight() {
        return objective == Objective.GA ? 0 : s.retainWeight();
    }

    private List<List<LmBatch>> retainPlan(UnlearnInputs inputs, int steps) {
        List<List<LmBatch>> retain = new ArrayList<>();
        for (int t = 0; t < inputs.forget().size(); t++) {
            retain.add(LmBatches.consecutive(inputs.retainFor(t), inputs.tokenizer(), s.batchSize(), s.maxLength(t)));
        }
        return StepPlan.arrange(retain, steps, "retain");
    }

    /** log p_M0(y|x) of every forget sequence, from the model before any update. */
    private static List<List<Tensor>> referenceLogLikelihoods(LlamaModel model, List<List<LmBatch>> forget) {
        List<List<Tensor>> refs = new ArrayList<>();
        try (Engine.Guard g = Engine.noGrad()) {
            for (List<LmBatch> topic : forget) {
                List<Tensor> own = new ArrayList<>();
                for (LmBatch b : topic) {
                    // The forward pass's temporaries are freed at once; only the [B] result is kept.
                    try (Engine.Scope scope = Engine.scope()) {
                        own.add(scope.keep(CausalLmLoss.sequenceLogLikelihood(model.forward(b.batch(), null), b)));
                    }
                }
                refs.add(own);
            }
        }
        return refs;
    }
}
