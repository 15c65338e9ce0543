package dev.falcon.train;

import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.model.LlamaModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Causal-LM fine-tuning of a chosen set of parameters (all of them, or e.g. the matrices an
 * unlearning run edits) with AdamW, a learning-rate schedule and optional gradient clipping.
 * Each epoch visits the documents in a new order drawn from a {@link Random} seeded once, so the
 * same settings and data give the same weights. Each step's tensors are freed when it ends.
 */
public final class Trainer {

    /** The name of the one loss term of a fine-tuning step: next-token cross-entropy. */
    public static final String LOSS = "loss";
    private static final double[] NO_COSINES = new double[0];

    private final TrainSettings s;

    public Trainer(TrainSettings settings) {
        this.s = settings;
    }

    /** Tokenizes the documents (BOS, truncation, answer-only loss for question/answer data) and trains. */
    public TrainLog train(LlamaModel model, List<String> paramNames, List<Document> documents, Tokenizer tok,
                          TrainLog.Listener listener) {
        return train(model, paramNames, LmBatches.encode(documents, tok, s.maxLength()), LmBatches.padId(tok),
                listener);
    }

    /**
     * Trains {@code paramNames} of {@code model} on already tokenized sequences: the model gets copies of its
     * own of those tensors ({@link LlamaModel#editable}), updated in place, so models sharing its tensors
     * (a snapshot taken before) keep theirs.
     */
    public TrainLog train(LlamaModel model, List<String> paramNames, List<LmBatches.Sequence> data, int padId,
                          TrainLog.Listener listener) {
        check(model, data);
        int total = s.totalSteps(data.size());
        LearningRateSchedule schedule = LearningRateSchedule.withWarmupFraction(s.lr(), s.warmupFraction(), total,
                s.schedule());
        AdamW optimizer = new AdamW(s.lr(), AdamW.DEFAULT_BETA1, AdamW.DEFAULT_BETA2, AdamW.DEFAULT_EPS,
                s.weightDecay());
        List<Tensor> params = model.editable(paramNames);
        Order order = new Order(data.size(), s.batchSize(), s.seed());
        return TrainingLoop.run(params, total, k -> {
            List<LmBatches.Sequence> rows = Arrays.stream(order.next()).mapToObj(data::get).toList();
            double lr = schedule.at(k);
            optimizer.setLr(lr);
            try (Engine.Scope scope = Engine.scope()) {
                Map<String, Tensor> loss = Map.of(LOSS, CausalLmLoss.loss(model, LmBatches.batch(rows, padId)));
                TrainingLoop.Update u = TrainingLoop.minimise(loss, params, optimizer, s.clipNorm());
                return new TrainLog.Step(k, 0, order.epoch(), u.losses(), lr, u.gradNorm(), NO_COSINES);
            }
        }, listener);
    }

    private static void check(LlamaModel model, List<LmBatches.Sequence> data) {
        int vocab = model.config().vocabSize();
        long targets = 0;
        for (LmBatches.Sequence seq : data) {
            for (int id : seq.ids()) {
                if (id < 0 || id >= vocab) {
                    throw new InputException("token id " + id + " is outside the model's vocabulary of " + vocab
                            + ": the tokenizer does not belong to this model");
                }
            }
            targets += seq.targets();
        }
        if (targets == 0) {
            throw new InputException("nothing to train on: no document has a token after BOS (or an answer "
                    + "token left after truncation)");
        }
    }

    /** Document indices in batches, reshuffled at the start of every epoch; the last batch of an epoch may be short. */
    private static final class Order {
        private final List<Integer> indices;
        private final int batchSize;
        private final Random random;
        private int position;
        private int epoch = -1;

        Order(int n, int batchSize, long seed) {
            this.indices = new ArrayList<>(IntStream.range(0, n).boxed().toList());
            this.batchSize = batchSize;
            this.random = new Random(seed);
            this.position = n;
        }

        /** The epoch of the batch {@link #next} returned last, from 0. */
        int epoch() {
            return epoch;
        }

        int[] next() {
            if (position >= indices.size()) {
                Collections.shuffle(indices, random);
                position = 0;
                epoch++;
            }
            int end = Math.min(indices.size(), position + batchSize);
            int[] batch = indices.subList(position, end).stream().mapToInt(Integer::intValue).toArray();
            position = end;
            return batch;
        }
    }
}
