package dev.falcon.unlearn;

import dev.falcon.InputException;
import dev.falcon.train.Optimizer;
import dev.falcon.train.StepSchedule;
import dev.falcon.train.TrainLog;
import dev.falcon.train.TrainingLoop;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Rng;
import dev.falcon.engine.Tensor;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * FALCON's training loop: per step, the contrastive forget loss on a forget batch and the retention
 * loss on a retain batch of the same topic, one gradient each for every edited matrix, conflicts
 * resolved by {@link GradientProjection}, then one optimizer step. Steps interleave topics as the
 * official code does ({@link StepSchedule}).
 */
public final class Falcon implements UnlearningMethod {

    public static final String FORGET_LOSS = "forget";
    public static final String RETAIN_LOSS = "retain";

    private final FalconSettings s;

    public Falcon(FalconSettings settings) {
        this.s = settings;
    }

    @Override
    public Method method() {
        return Method.FALCON;
    }

    /** Tokenizes each topic (by default 512 tokens for the first topic, 768 for the others) and trains. */
    @Override
    public TrainLog unlearn(LlamaModel model, EditedParameters edited, UnlearnInputs inputs, RunRecord record,
                            TrainLog.Listener listener) {
        List<List<Batch>> forget = TopicBatches.forget(inputs, s.batchSize(), s.maxLengths());
        List<List<Batch>> retain = TopicBatches.retain(inputs, s.batchSize(), s.maxLengths());
        record.activations(path(forget, retain));
        return run(model, edited, forget, retain, null, listener);
    }

    /**
     * Steps the official code runs in one epoch, times the epochs: min(max batches, epochs * the
     * shortest forget or retain list).
     */
    public StepSchedule schedule(List<List<Batch>> forget, List<List<Batch>> retain) {
        return StepSchedule.boundedByRetain(s.maxBatches(), s.epochs(), forget, retain);
    }

    /**
     * Where this run's steps get their activations at l* (see {@link ActivationPath#choose}); refuses
     * inputs without one retain set per forget topic.
     */
    public ActivationPath path(List<List<Batch>> forget, List<List<Batch>> retain) {
        if (forget.size() != retain.size()) {
            throw new InputException(forget.size() + " forget topics but " + retain.size()
                    + " retain sets: give one retain set per forget topic");
        }
        s.checkTopics(forget.size());
        return ActivationPath.choose(!s.cache(), schedule(forget, retain), forget, retain);
    }

    /**
     * Edits {@code model} in place.
     *
     * @param steering one POV per step, or null to compute them from the unedited model
     */
    public TrainLog run(LlamaModel model, EditedParameters edited, List<List<Batch>> forget,
                        List<List<Batch>> retain, List<Tensor> steering, TrainLog.Listener listener) {
        return run(model, edited, forget, retain, steering, path(forget, retain), listener);
    }

    /**
     * As {@link #run(LlamaModel, EditedParameters, List, List, List, TrainLog.Listener)} on the given path
     * whatever the schedule: for comparisons of the paths.
     */
    public TrainLog run(LlamaModel model, EditedParameters edited, List<List<Batch>> forget, List<List<Batch>> retain,
                 List<Tensor> steering, ActivationPath path, TrainLog.Listener listener) {
        EditedParameters.checkLayer(model, s.layer());
        StepSchedule schedule = schedule(forget, retain);
        List<Tensor> povs = steering != null ? steering : principalOffsets(model, forget, schedule);
        StepActivations acts = path.activations(edited, forget, retain, schedule, s.firstLayer(), s.layer());
        Optimizer optimizer = Optimizer.byName(s.optimizer(), s.lr());
        GradientProjection projection = new GradientProjection(s.conflictWeights(), s.alignWeights());
        return TrainingLoop.run(edited.tensors(), schedule.steps(),
                k -> step(k, schedule, acts, povs.get(k), edited, optimizer, projection), listener);
    }

    private TrainLog.Step step(int k, StepSchedule schedule, StepActivations acts, Tensor pov,
                               EditedParameters edited, Optimizer optimizer, GradientProjection projection) {
        int topic = schedule.topic(k);
        try (Engine.Scope scope = Engine.scope()) {
            List<Tensor> params = edited.tensors();
            double c = PerTopic.value(s.steeringCoeff(), topic);
            double alpha = PerTopic.value(s.alpha(), topic);
            StepActivations.Pair f = acts.forget(k);
            Tensor forgetLoss = new ContrastiveForgetLoss(s.temperature())
                    .loss(f.edited(), pov.mul(c), f.frozen(), mask(f.batch()));
            Tensor[] gF = forgetLoss.gradients(params, false);
            // the forget graph is freed: what glibc kept of it goes back before the retain graph is built
            Engine.trimFreedMemory();
            StepActivations.Pair r = acts.retain(k);
            Tensor retainLoss = new RetentionLoss(alpha).loss(r.edited(), r.frozen(), mask(r.batch()));
            Tensor[] gR = retainLoss.gradients(params, false);
            Engine.trimFreedMemory();
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
            // in this order in the run record: Map.of's order changes from one JVM to the next
            Map<String, Double> losses = new LinkedHashMap<>();
            losses.put(FORGET_LOSS, lf);
            losses.put(RETAIN_LOSS, lr);
            return new TrainLog.Step(k, topic, schedule.epoch(k), losses, s.lr(), Double.NaN, cosines);
        }
    }

    private Tensor mask(Batch b) {
        return s.maskPadding() ? b.mask() : null;
    }

    /**
     * One POV per step from the unedited model, each on a random forget batch of its topic. The draw
     * is among the run's epochs * batches of the topic, which picks every batch equally often as a
     * draw among its batches would, and gives the POVs runs with epochs always had.
     */
    private List<Tensor> principalOffsets(LlamaModel model, List<List<Batch>> forget, StepSchedule schedule) {
        Random pick = new Random(s.seed());
        Rng rng = new Rng(s.seed());
        List<Tensor> povs = new ArrayList<>();
        try (Engine.Guard g = Engine.noGrad()) {
            for (int k = 0; k < schedule.steps(); k++) {
                List<Batch> topic = forget.get(schedule.topic(k));
                Batch b = topic.get(pick.nextInt(s.epochs() * topic.size()) % topic.size());
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
}
