package dev.falcon.unlearn;

import dev.falcon.data.Document;
import dev.falcon.io.Tokenizer;
import dev.falcon.model.Batch;

import java.util.ArrayList;
import java.util.List;

/** Documents cut into consecutive batches, tokenized with BOS, truncated and right-padded. */
public final class TopicBatches {

    private TopicBatches() {
    }

    /** As the official get_data: batch i holds documents [i*size, (i+1)*size); the last may be short. */
    public static List<Batch> of(List<Document> docs, Tokenizer tok, int batchSize, int maxLength) {
        List<Batch> batches = new ArrayList<>();
        int pad = Math.max(tok.eosId(), 0);
        for (int start = 0; start < docs.size(); start += batchSize) {
            List<int[]> rows = new ArrayList<>();
            for (Document d : docs.subList(start, Math.min(docs.size(), start + batchSize))) {
                int[] ids = tok.encode(d.text(), true, false);
                rows.add(ids.length > maxLength ? java.util.Arrays.copyOf(ids, maxLength) : ids);
            }
            batches.add(Batch.of(rows, pad, Batch.Padding.RIGHT));
        }
        return batches;
    }
}
