package dev.falcon.unlearn;

import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.StepSchedule;
import dev.falcon.train.TrainLog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMU (Representation Misdirection for Unlearning): L = mean |h_l(x_f) - c u|^2 + alpha mean
 * |h_l(x_r) - h_l^frozen(x_r)|^2 on the edited blocks, with AdamW. As in the official code, each
 * topic has its own control vector u, drawn in topic order from the seed. The blocks below the first
 * edited one run once per batch, shared by the frozen and the edited model, and the frozen activations
 * are cached where batches repeat ({@link ActivationPath}). Steps interleave topics as FALCON's do
 * ({@link StepSchedule}) and number min(maxBatches, epochs * shortest forget list); a shorter retain
 * list starts over.
 */
public final class Rmu implements UnlearningMethod {

    public static final String FORGET_LOSS = "forget";
    public static final String RETAIN_LOSS = "retain";

    private final RmuSettings s;

    public Rmu(RmuSettings settings) {
        this.s = settings;
    }

    @Override
    public Method method() {
        return Method.RMU;
    }

    @Override
    public TrainLog unlearn(LlamaModel model, EditedParameters edited, UnlearnInputs inputs, RunRecord record,
                            TrainLog.Listener listener) {
        EditedParameters.checkLayer(model, s.layer());
        s.checkTopics(inputs.forget().size());
        List<List<Batch>> forget = TopicBatches.forget(inputs, s.batchSize(), s.maxLengths());
        List<List<Batch>> retain = TopicBatches.retain(inputs, s.batchSize(), s.maxLengths());
        StepSchedule schedule = StepSchedule.retainRepeats(s.maxBatches(), s.epochs(), forget, retain);
        ActivationPath path = ActivationPath.choose(false, schedule, forget, retain);
        record.activations(path);
        StepActivations acts = path.activations(edited, forget, retain, schedule, s.firstLayer(), s.layer());
        List<Tensor> targets = targets(model.config().hiddenSize(), schedule.topics());
        return BaselineSteps.run(edited, schedule, s.lr(), k -> terms(k, schedule.topic(k), acts, targets), listener);
    }

    private Map<String, Tensor> terms(int k, int topic, StepActivations acts, List<Tensor> targets) {
        double alpha = PerTopic.value(s.alpha(), topic);
        StepActivations.Pair f = acts.forget(k);
        StepActivations.Pair r = acts.retain(k);
        Map<String, Tensor> terms = new LinkedHashMap<>();
        terms.put(FORGET_LOSS, RmuLoss.forget(f.edited(), targets.get(topic), mask(f.batch())));
        terms.put(RETAIN_LOSS, RmuLoss.retain(r.edited(), r.frozen(), alpha, mask(r.batch())));
        return terms;
    }

    /** c_t * u_t for every topic t. */
    private List<Tensor> targets(int dim, int topics) {
        Rng rng = new Rng(s.seed());
        List<Tensor> targets = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            targets.add(RmuLoss.controlVector(rng, dim).mul(PerTopic.value(s.steeringCoeff(), t)));
        }
        return targets;
    }

    private Tensor mask(Batch b) {
        return s.maskPadding() ? b.mask() : null;
    }
}
