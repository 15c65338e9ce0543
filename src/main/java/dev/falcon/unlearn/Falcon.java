package dev.falcon.unlearn;

import dev.falcon.train.Optimizer;
import dev.falcon.InputException;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * FALCON's training loop: per step, the contrastive forget loss on a forget batch and the retention
 * loss on a retain batch of the same topic, one gradient each for every edited matrix, conflicts
 * resolved by {@link GradientProjection}, then one optimizer step. Steps interleave topics as the
 * official code does (step k: topic k mod n, batch k div n).
 */
public final class Falcon implements UnlearningMethod {

    public static final String FORGET_LOSS = "forget";
    public static final String RETAIN_LOSS = "retain";

    private final FalconSettings s;

    public Falcon(FalconSettings settings) {
        this.s = settings;
    }

    @Override
    public String name() {
        return "falcon";
    }

    /** Tokenizes each topic (512 tokens for the first topic, 768 for the others) and trains. */
    @Override
    public TrainingLog unlearn(LlamaModel model, EditedParameters edited, UnlearnInputs inputs,
                               TrainingLog.Listener listener) {
        List<List<Batch>> forget = new ArrayList<>();
        List<List<Batch>> retain = new ArrayList<>();
        for (int t = 0; t < inputs.forget().size(); t++) {
            int maxLength = s.maxLengths()[Math.min(t, 1)];
            forget.add(TopicBatches.of(inputs.forget().get(t), inputs.tokenizer(), s.batchSize(), maxLength));
            retain.add(TopicBatches.of(inputs.retainFor(t), inputs.tokenizer(), s.batchSize(), maxLength));
        }
        return run(model, edited, forget, retain, null, listener);
    }

    /** Steps the official code runs: min(max batches, shortest forget list, shortest retain list). */
    public int stepCount(List<List<Batch>> forget, List<List<Batch>> retain) {
        int n = s.maxBatches();
        for (List<Batch> f : forget) {
            n = Math.min(n, f.size());
        }
        for (List<Batch> r : retain) {
            n = Math.min(n, r.size());
        }
        return n;
    }

    /**
     * Edits {@code model} in place.
     *
     * @param steering one POV per step, or null to compute them from the unedited model
     */
    public TrainingLog run(LlamaModel model, EditedParameters edited, List<List<Batch>> forget,
                           List<List<Batch>> retain, List<Tensor> steering, TrainingLog.Listener listener) {
        checkLayers(model);
        if (forget.size() != retain.size()) {
            throw new InputException(forget.size() + " forget topics but " + retain.size()
                    + " retain sets: give one retain set per forget topic");
        }
        int topics = forget.size();
        int steps = stepCount(forget, retain);
        List<Tensor> povs = steering != null ? steering : principalOffsets(model, forget, steps);
        StepActivations acts = s.cache()
                ? new CachedActivations(model, forget, retain, steps, s.firstLayer(), s.layer())
                : new FullForwardActivations(model, forget, retain, s.layer());
        Optimizer optimizer = Optimizer.byName(s.optimizer(), s.lr());
        GradientProjection projection = new GradientProjection(s.conflictWeights(), s.alignWeights());
        return StepLoop.run(edited, steps, topics,
                (k, topic) -> step(k, topic, acts, povs.get(k), edited, optimizer, projection), listener);
    }

    private TrainingLog.Step step(int k, int topic, StepActivations acts, Tensor pov, EditedParameters edited,
                      Optimizer optimizer, GradientProjection projection) {
        try (Engine.Scope scope = Engine.scope()) {
            List<Tensor> params = edited.tensors();
            double c = FalconSettings.perTopic(s.steeringCoeff(), topic, "steering coefficients");
            double alpha = FalconSettings.perTopic(s.alpha(), topic, "alpha");
            StepActivations.Pair f = acts.forget(k, topic);
            Tensor forgetLoss = new ContrastiveForgetLoss(s.temperature())
                    .loss(f.edited(), pov.mul(c), f.frozen(), mask(f.batch()));
            Tensor[] gF = forgetLoss.gradients(params, false);
            StepActivations.Pair r = acts.retain(k, topic);
            Tensor retainLoss = new RetentionLoss(alpha).loss(r.edited(), r.frozen(), mask(r.batch()));
            Tensor[] gR = retainLoss.gradients(params, false);
            double lf = forgetLoss.item();
            double lr = retainLoss.item();
            double[] cosines = new double[params.size()];
            if (Double.isFinite(lf) && Double.isFinite(lr)) {
                List<Tensor> combined = new ArrayList<>();
                for (int i = 0; i < params.size(); i++) {
                    GradientProjection.Combined g = projection.combine(gF[i], gR[i]);
                    combined.add(g.gradient());
                    cosines[i] = g.cosine();
                }
                try (Engine.Guard g = Engine.noGrad()) {
                    optimizer.step(params, combined);
                }
            }
            return new TrainingLog.Step(k, topic, java.util.Map.of(FORGET_LOSS, lf, RETAIN_LOSS, lr), cosines);
        }
    }

    private Tensor mask(Batch b) {
        return s.maskPadding() ? b.mask() : null;
    }

    /** One POV per step from the unedited model, each on a random forget batch of its topic. */
    private List<Tensor> principalOffsets(LlamaModel model, List<List<Batch>> forget, int steps) {
        Random pick = new Random(s.seed());
        Rng rng = new Rng(s.seed());
        List<Tensor> povs = new ArrayList<>();
        try (Engine.Guard g = Engine.noGrad()) {
            for (int k = 0; k < steps; k++) {
                List<Batch> topic = forget.get(k % forget.size());
                Batch b = topic.get(pick.nextInt(topic.size()));
                try (Engine.Scope scope = Engine.scope()) {
                    Tensor hidden = realTokens(model.hiddenAfter(b, s.layer()), b);
                    povs.add(scope.keep(s.paperPov() ? PrincipalOffsetVector.paper(hidden, 1.0, rng)
                            : PrincipalOffsetVector.official(hidden, rng)));
                }
            }
        }
        return povs;
    }

    /** [B*T, D] rows of the activations, without padded positions when masking is on. */
    private Tensor realTokens(Tensor hidden, Batch b) {
        Tensor rows = hidden.reshape(-1, hidden.size(-1));
        if (!s.maskPadding()) {
            return rows;
        }
        long[] mask = b.mask().toLongs();
        long[] keep = java.util.stream.IntStream.range(0, mask.length).filter(i -> mask[i] != 0)
                .mapToLong(i -> i).toArray();
        return rows.indexSelect(0, Tensor.ofLongs(keep, keep.length));
    }

    private void checkLayers(LlamaModel model) {
        int n = model.config().numLayers();
        if (s.layer() < 0 || s.layer() >= n) {
            throw new InputException("layer " + s.layer() + " is out of range: the model has layers 0.." + (n - 1));
        }
        for (int l : s.layers()) {
            if (l > s.layer()) {
                throw new InputException("edited layer " + l + " is above the loss layer " + s.layer()
                        + ": its weights cannot change the activations FALCON compares");
            }
        }
    }
}
