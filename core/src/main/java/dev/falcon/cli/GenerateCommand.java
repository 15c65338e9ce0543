package dev.falcon.cli;

import dev.falcon.InputException;
import dev.falcon.tokenizer.DecodeStream;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.Sampler;
import dev.falcon.model.TextGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints prompt + continuation. Counts as llama2.c's run does: --max-tokens is the number of
 * positions after BOS, the prompt's included, and generation stops early if the model emits BOS.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a prompt (temperature 0: greedy, as llama2.c's run).")
final class GenerateCommand implements Runnable {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--prompt", defaultValue = "", description = "Text to continue (default: empty).")
    String prompt;

    @Option(names = "--max-tokens", defaultValue = "256",
            description = "Tokens after BOS, prompt included, as llama2.c's -n (default 256).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "1.0", description = "0 = greedy (default 1.0).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "0.9", description = "Nucleus sampling mass (default 0.9).")
    double topP;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Override
    public void run() {
        if (maxTokens < 1) {
            throw new InputException("--max-tokens must be at least 1, got " + maxTokens);
        }
        Sampler sampler;
        try {
            sampler = new Sampler(temperature, topP, seed);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (WeightSource source = modelOptions.openWeights(); Tokenizer tok = modelOptions.openTokenizer()) {
            LlamaModel model = modelOptions.load(source);
            int[] ids = tok.encode(prompt, true, false);
            DecodeStream stream = new DecodeStream(tok, ids[0]);
            for (int i = 1; i < ids.length; i++) {
                out.print(stream.next(ids[i]));
            }
            int[] stops = {tok.bosId(), tok.eosId()};
            new TextGenerator(model).generate(ids, maxTokens + 1, sampler, stops, id -> out.print(stream.next(id)));
            out.println();
        }
    }
}
