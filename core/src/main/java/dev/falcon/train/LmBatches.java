package dev.falcon.train;

import dev.falcon.data.Document;
import dev.falcon.engine.Tensor;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.model.Batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Documents tokenized for causal-LM training: BOS first, truncated, right-padded, with loss masks. */
public final class LmBatches {

    private LmBatches() {
    }

    /**
     * One tokenized document: its ids (BOS first) and the first position whose token the loss
     * counts: 1 for plain text (every token after BOS), the prompt's length for question/answer
     * documents (only answer tokens). firstTarget == ids.length when truncation cut the whole answer.
     */
    public record Sequence(int[] ids, int firstTarget) {

        /** How many tokens the loss counts. */
        public int targets() {
            return ids.length - firstTarget;
        }
    }

    /**
     * Tokenizes with BOS and truncates to maxLength tokens. For question/answer documents the whole
     * text is tokenized (so the answer's first token is the one the tokenizer gives in context) and
     * the prompt's tokens are not counted.
     */
    public static Sequence encode(Document d, Tokenizer tok, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("max length must be at least 2 (BOS and one target), got " + maxLength);
        }
        int[] ids = tok.encode(d.text(), true, false);
        int first = d.isQuestionAnswer() ? tok.encode(d.prompt(), true, false).length : 1;
        ids = ids.length > maxLength ? Arrays.copyOf(ids, maxLength) : ids;
        return new Sequence(ids, Math.min(Math.max(first, 1), ids.length));
    }

    public static List<Sequence> encode(List<Document> docs, Tokenizer tok, int maxLength) {
        return docs.stream().map(d -> encode(d, tok, maxLength)).toList();
    }

    /** The id padding is filled with (never attended to nor counted): EOS, or 0 without one. */
    public static int padId(Tokenizer tok) {
        return Math.max(tok.eosId(), 0);
    }

    /** Right-pads the sequences into one batch and marks the tokens the loss counts. */
    public static LmBatch batch(List<Sequence> sequences, int padId) {
        List<int[]> rows = sequences.stream().map(Sequence::ids).toList();
        Batch b = Batch.of(rows, padId, Batch.Padding.RIGHT);
        int width = b.width();
        float[] mask = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            Sequence s = sequences.get(r);
            Arrays.fill(mask, r * width + s.firstTarget(), r * width + s.ids().length, 1f);
        }
        return new LmBatch(b, Tensor.of(mask, rows.size(), width));
    }

    /** Batch i holds documents [i*size, (i+1)*size), in order; the last may be short. */
    public static List<LmBatch> consecutive(List<Document> docs, Tokenizer tok, int batchSize, int maxLength) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        List<Sequence> all = encode(docs, tok, maxLength);
        List<LmBatch> batches = new ArrayList<>();
        for (int start = 0; start < all.size(); start += batchSize) {
            batches.add(batch(all.subList(start, Math.min(all.size(), start + batchSize)), padId(tok)));
        }
        return batches;
    }
}
