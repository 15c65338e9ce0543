package dev.falcon.unlearn;

import dev.falcon.model.Batch;
import dev.falcon.train.LmBatch;
import dev.falcon.train.LmBatches;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Each topic's documents cut into consecutive batches as the official get_data does (batch i holds
 * documents [i*size, (i+1)*size), the last may be short), tokenized with BOS, truncated, right-padded.
 */
final class TopicBatches {

    private TopicBatches() {
    }

    /** Each forget topic's batches, topic t cut at maxLengths.of(t). */
    static List<List<Batch>> forget(UnlearnInputs in, int batchSize, MaxLengths maxLengths) {
        return withoutTargets(forgetWithTargets(in, batchSize, maxLengths));
    }

    /** The retain batches paired with each forget topic, cut as that topic is. */
    static List<List<Batch>> retain(UnlearnInputs in, int batchSize, MaxLengths maxLengths) {
        return withoutTargets(retainWithTargets(in, batchSize, maxLengths));
    }

    /** {@link #forget} with the loss masks the likelihood losses need. */
    static List<List<LmBatch>> forgetWithTargets(UnlearnInputs in, int batchSize, MaxLengths maxLengths) {
        return perTopic(in, t -> LmBatches.consecutive(in.forget().get(t), in.tokenizer(), batchSize,
                maxLengths.of(t)));
    }

    /** {@link #retain} with the loss masks the likelihood losses need. */
    static List<List<LmBatch>> retainWithTargets(UnlearnInputs in, int batchSize, MaxLengths maxLengths) {
        return perTopic(in, t -> LmBatches.consecutive(in.retainFor(t), in.tokenizer(), batchSize, maxLengths.of(t)));
    }

    private static List<List<Batch>> withoutTargets(List<List<LmBatch>> topics) {
        return topics.stream().map(t -> t.stream().map(LmBatch::batch).toList()).toList();
    }

    private static <T> List<List<T>> perTopic(UnlearnInputs in, IntFunction<List<T>> topic) {
        List<List<T>> out = new ArrayList<>();
        for (int t = 0; t < in.forget().size(); t++) {
            out.add(topic.apply(t));
        }
        return out;
    }
}
