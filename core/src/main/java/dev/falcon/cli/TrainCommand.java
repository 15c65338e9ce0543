package dev.falcon.cli;

import dev.falcon.data.Document;
import dev.falcon.data.TextCorpus;
import dev.falcon.engine.DType;
import dev.falcon.checkpoint.HfCheckpointWriter;
import dev.falcon.io.OutputFolder;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.TokenizerFiles;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.LearningRateSchedule;
import dev.falcon.train.TrainLog;
import dev.falcon.train.TrainSettings;
import dev.falcon.train.Trainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Fine-tunes every parameter of a model on text or question/answer files and writes a Hugging Face folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fine-tune a model (all parameters) on text or question/answer data; question/answer "
                + "documents are trained on their answers only.")
final class TrainCommand implements Runnable {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--data", required = true, split = ",",
            description = "Training files (.txt: one document per line; .jsonl/.json: \"text\" or "
                    + "\"question\"/\"answer\" objects), comma-separated.")
    List<Path> data;

    @Option(names = "--out", required = true, description = "Output folder (must not exist unless --overwrite).")
    Path out;

    @ArgGroup(exclusive = true)
    Length length = new Length();

    static final class Length {
        @Option(names = "--epochs", description = "Passes over the data (default 1).")
        int epochs = 1;

        @Option(names = "--max-steps", description = "Optimizer steps instead of epochs.")
        int maxSteps;
    }

    @Option(names = "--lr", defaultValue = "1e-4", description = "Peak learning rate (default 1e-4).")
    double lr;

    @Option(names = "--batch-size", defaultValue = "8", description = "Documents per step (default 8).")
    int batchSize;

    @Option(names = "--warmup", defaultValue = "0.1",
            description = "Fraction of the steps spent on a linear warm-up (default 0.1).")
    double warmup;

    @Option(names = "--schedule", defaultValue = "cosine",
            description = "Learning rate after warm-up: cosine (decay to 0) or constant (default cosine).")
    String schedule;

    @Option(names = "--max-length", defaultValue = "256", description = "Tokens per document, BOS included (default 256).")
    int maxLength;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the data order (default 42).")
    long seed;

    @Option(names = "--clip-norm", defaultValue = "1.0",
            description = "Largest global gradient norm, 0 for no clipping (default 1.0).")
    double clipNorm;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "AdamW weight decay (default 0.01).")
    double weightDecay;

    @Option(names = "--overwrite", description = "Replace an existing output folder.")
    boolean overwrite;

    @Override
    public void run() {
        TrainSettings settings = TrainSettings.builder().epochs(length.epochs).maxSteps(length.maxSteps).lr(lr)
                .batchSize(batchSize).warmupFraction(warmup).schedule(LearningRateSchedule.Shape.parse(schedule))
                .maxLength(maxLength).seed(seed).clipNorm(clipNorm).weightDecay(weightDecay).build();
        OutputFolder.check(out, modelOptions.model, overwrite);
        List<Document> documents = new ArrayList<>();
        data.forEach(f -> documents.addAll(TextCorpus.read(f)));
        Path tokenizerPath = modelOptions.tokenizerPath();
        try (WeightSource source = modelOptions.openWeights(); Tokenizer tok = modelOptions.openTokenizer()) {
            LlamaModel model = modelOptions.load(source);
            List<String> names = List.copyOf(model.paramNames());
            TrainLog log = new Trainer(settings).train(model, names, documents, tok, TrainCommand::progress);
            if (log.stoppedEarly() != null) {
                System.err.println("warning: stopped early: " + log.stoppedEarly());
            }
            DType stored = HfCheckpointWriter.storedDtype(source);
            OutputFolder.write(out, dir -> {
                HfCheckpointWriter.write(model, source, Set.copyOf(names), stored, Map.of(), dir);
                TokenizerFiles.copy(tokenizerPath, dir);
                Files.writeString(dir.resolve("train-log.json"), log.toJson());
            });
            System.err.println("wrote " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** About fifty progress lines per run, and always the last step. */
    private static void progress(TrainLog.Step step, int total) {
        int every = Math.max(1, total / 50);
        if (step.step() % every == 0 || step.step() == total - 1) {
            System.err.printf("step %d/%d  epoch %d  loss %.4f  lr %.3g  grad norm %.3g%n", step.step() + 1, total,
                    step.epoch() + 1, step.loss(), step.lr(), step.gradNorm());
        }
    }
}
