package dev.falcon.unlearn;

import dev.falcon.data.Document;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.model.Batch;
import dev.falcon.train.LmBatch;
import dev.falcon.train.LmBatches;

import java.util.List;

/** Documents cut into consecutive batches, tokenized with BOS, truncated and right-padded. */
public final class TopicBatches {

    private TopicBatches() {
    }

    /** As the official get_data: batch i holds documents [i*size, (i+1)*size); the last may be short. */
    public static List<Batch> of(List<Document> docs, Tokenizer tok, int batchSize, int maxLength) {
        return LmBatches.consecutive(docs, tok, batchSize, maxLength).stream().map(LmBatch::batch).toList();
    }
}
