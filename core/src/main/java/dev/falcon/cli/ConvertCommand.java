package dev.falcon.cli;

import dev.falcon.engine.DType;
import dev.falcon.checkpoint.HfCheckpointWriter;
import dev.falcon.io.OutputFolder;
import dev.falcon.tokenizer.TokenizerFiles;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.model.LlamaModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Writes any supported checkpoint as a Hugging Face folder. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a checkpoint (e.g. llama2.c .bin) to a Hugging Face folder.")
final class ConvertCommand implements Runnable {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--out", required = true, description = "Output folder (must not exist unless --overwrite).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing output folder.")
    boolean overwrite;

    @Override
    public void run() {
        OutputFolder.check(out, modelOptions.model, overwrite);
        Path tokenizer = modelOptions.tokenizerPath();
        try (WeightSource source = modelOptions.openWeights()) {
            DType stored = HfCheckpointWriter.storedDtype(source);
            OutputFolder.checkSpace(out, HfCheckpointWriter.tensorBytes(source.config(), source, stored));
            LlamaModel model = modelOptions.load(source);
            OutputFolder.write(out, dir -> {
                HfCheckpointWriter.write(model, source, Set.of(), stored, Map.of(), dir);
                TokenizerFiles.copy(tokenizer, dir);
            });
            System.err.println("wrote " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
