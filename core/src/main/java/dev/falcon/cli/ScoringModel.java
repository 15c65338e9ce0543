package dev.falcon.cli;

import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.checkpoint.ModelLoader;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.engine.DType;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.Tokenizers;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * What a cluster's executor needs to score batches as the command scores them here: the checkpoint and
 * tokenizer (absolute paths, which every node must be able to read), the compute dtype as resolved here, the
 * weights' memory budget and the scorer's settings. Equal descriptions open equal models, so an executor
 * keeps one opened model per description.
 *
 * @param memory the --memory text, or null for the default share of the executor's own available memory
 */
public record ScoringModel(String model, String tokenizer, DType dtype, String memory, boolean addBos,
                           int batchSize) implements Serializable {

    /** Opens the checkpoint and tokenizer, and the scorer on them (its batches scored in this process). */
    public Opened open() {
        WeightSource source = Checkpoints.open(Path.of(model));
        try {
            Tokenizer tok = Tokenizers.load(Path.of(tokenizer));
            return new Opened(source, tok, new LogLikelihood(ModelLoader.load(source, dtype, MemorySize.budget(memory)), tok,
                    addBos, batchSize));
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** An opened model: its scorer, and the files it reads until closed. */
    public record Opened(WeightSource source, Tokenizer tokenizer, LogLikelihood scorer) implements AutoCloseable {

        @Override
        public void close() {
            try {
                tokenizer.close();
            } finally {
                source.close();
            }
        }
    }
}
