package dev.falcon.unlearn;

import dev.falcon.InputException;
import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMU (Representation Misdirection for Unlearning): L = mean |h_l(x_f) - c u|^2 + alpha mean
 * |h_l(x_r) - h_l^frozen(x_r)|^2 on the edited blocks, with AdamW. As in the official code, each
 * topic has its own control vector u, drawn in topic order from the seed. Frozen activations and the
 * residual stream entering the first edited block are computed once ({@link CachedActivations}), so
 * a step runs only the edited blocks up to l.
 */
public final class Rmu implements UnlearningMethod {

    public static final String FORGET_LOSS = "forget";
    public static final String RETAIN_LOSS = "retain";
    private static final String BLOCK_PREFIX = "model.layers.";

    private final BaselineSettings s;

    public Rmu(BaselineSettings settings) {
        this.s = settings;
    }

    @Override
    public String name() {
        return "rmu";
    }

    @Override
    public TrainingLog unlearn(LlamaModel model, EditedParameters edited, UnlearnInputs inputs,
                               TrainingLog.Listener listener) {
        int first = firstEditedLayer(model, edited);
        int topics = inputs.forget().size();
        List<List<Batch>> forget = new ArrayList<>();
        List<List<Batch>> retain = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            forget.add(TopicBatches.of(inputs.forget().get(t), inputs.tokenizer(), s.batchSize(), s.maxLength(t)));
            retain.add(TopicBatches.of(inputs.retainFor(t), inputs.tokenizer(), s.batchSize(), s.maxLength(t)));
        }
        int steps = StepPlan.steps(s.maxBatches(), s.epochs(), forget);
        StepActivations acts = new CachedActivations(model, StepPlan.arrange(forget, steps, "forget"),
                StepPlan.arrange(retain, steps, "retain"), steps, first, s.layer());
        List<Tensor> targets = targets(model.config().hiddenSize(), topics);
        return BaselineLoop.run(edited, steps, topics, s.lr(), (k, topic) -> terms(k, topic, acts, targets), listener);
    }

    private Map<String, Tensor> terms(int k, int topic, StepActivations acts, List<Tensor> targets) {
        double alpha = FalconSettings.perTopic(s.alpha(), topic, "alpha");
        StepActivations.Pair f = acts.forget(k, topic);
        StepActivations.Pair r = acts.retain(k, topic);
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
            double c = FalconSettings.perTopic(s.steeringCoeff(), t, "steering coefficients");
            targets.add(RmuLoss.controlVector(rng, dim).mul(c));
        }
        return targets;
    }

    private Tensor mask(Batch b) {
        return s.maskPadding() ? b.mask() : null;
    }

    /** The lowest edited block; every edited tensor must be inside a block at or below the loss layer. */
    private int firstEditedLayer(LlamaModel model, EditedParameters edited) {
        int n = model.config().numLayers();
        if (s.layer() >= n) {
            throw new InputException("layer " + s.layer() + " is out of range: the model has layers 0.." + (n - 1));
        }
        int first = Integer.MAX_VALUE;
        for (String name : edited.names()) {
            if (!name.startsWith(BLOCK_PREFIX)) {
                throw new InputException("RMU edits decoder-block parameters only; " + name + " is outside the blocks");
            }
            int l = Integer.parseInt(name.substring(BLOCK_PREFIX.length(), name.indexOf('.', BLOCK_PREFIX.length())));
            if (l > s.layer()) {
                throw new InputException("edited layer " + l + " is above the loss layer " + s.layer()
                        + ": its weights cannot change the activations RMU compares");
            }
            first = Math.min(first, l);
        }
        if (first == Integer.MAX_VALUE) {
            throw new InputException("no parameter to edit");
        }
        return first;
    }
}
