package dev.falcon.unlearn;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.CausalLmLoss;
import dev.falcon.train.LmBatch;
import dev.falcon.train.StepSchedule;
import dev.falcon.train.TrainLog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baselines that work on the model's output likelihood of the forget text: gradient ascent,
 * gradient difference, NPO and SimNPO. The forget term is computed on a full forward pass (only
 * answer tokens count for question/answer data); GradDiff, NPO and SimNPO add retainWeight times the
 * LM loss of a retain batch of the same topic (NPO with it is NPO+RT). Steps follow
 * {@link StepSchedule#retainRepeats}.
 */
public final class LikelihoodUnlearning implements UnlearningMethod {

    public static final String FORGET_LOSS = "forget";
    public static final String RETAIN_LOSS = "retain";

    /** How the forget text is pushed away. */
    public enum Objective {
        /** Maximise the forget LM loss: minimise -CE. */
        GA(Method.GA),
        /** GA plus the retain LM loss. */
        GRAD_DIFF(Method.GRAD_DIFF),
        /** {@link PreferenceLosses#npo} against the unedited model's log-likelihoods, computed once up front. */
        NPO(Method.NPO),
        /** {@link PreferenceLosses#simNpo}. */
        SIM_NPO(Method.SIM_NPO);

        private final Method method;

        Objective(Method method) {
            this.method = method;
        }
    }

    private final Objective objective;
    private final LikelihoodSettings s;

    public LikelihoodUnlearning(Objective objective, LikelihoodSettings settings) {
        this.objective = objective;
        this.s = settings;
    }

    @Override
    public Method method() {
        return objective.method;
    }

    @Override
    public TrainLog unlearn(LlamaModel model, EditedParameters edited, UnlearnInputs inputs, RunRecord record,
                            TrainLog.Listener listener) {
        List<List<LmBatch>> forget = TopicBatches.forgetWithTargets(inputs, s.batchSize(), s.maxLengths());
        List<List<LmBatch>> retain = retainWeight() > 0
                ? TopicBatches.retainWithTargets(inputs, s.batchSize(), s.maxLengths()) : null;
        StepSchedule schedule = StepSchedule.retainRepeats(s.maxBatches(), s.epochs(), forget, retain);
        List<List<Tensor>> references = objective == Objective.NPO ? referenceLogLikelihoods(model, forget) : null;
        return BaselineSteps.run(edited, schedule, s.lr(), k -> {
            Map<String, Tensor> terms = new LinkedHashMap<>();
            Tensor ref = references == null ? null : schedule.pick(references, k);
            terms.put(FORGET_LOSS, forgetTerm(model, schedule.pick(forget, k), ref).mul(s.forgetWeight()));
            if (retain != null) {
                terms.put(RETAIN_LOSS, CausalLmLoss.loss(model, schedule.pick(retain, k)).mul(retainWeight()));
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
