package dev.falcon.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.checkpoint.HfConfig;
import dev.falcon.data.McqItem;
import dev.falcon.demo.BaseModel;
import dev.falcon.engine.DType;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import dev.falcon.io.OutputFolder;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.ModelShapes;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code falcon bench scale}: a random-weight BF16 checkpoint of a real model shape, then FALCON unlearning,
 * lettered multiple-choice scoring and generation on it, each through the plain command line in a child JVM of
 * its own (so that each peak is its own), side by side in one run: wall time, peak resident memory (VmHWM),
 * and scoring's achieved GFLOP/s against the engine's own matmul measured in the same run.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Unlearn, score and generate on a random-weight checkpoint of a real 0.5-8B shape: "
                + "time, peak memory and scoring efficiency, each task in its own JVM.")
final class ScaleBench implements Callable<Integer> {

    @Option(names = "--shape", required = true, paramLabel = "SHAPE",
            description = "llama-3.2-1b, qwen2.5-0.5b or llama-3.1-8b.")
    String shape;

    @Option(names = "--cache", paramLabel = "DIR", description = "Where the checkpoints are kept and reused, one "
            + "folder per shape (default: $XDG_CACHE_HOME/falcon/scale, else ~/.cache/falcon/scale).")
    Path cache;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "The shape's real tokenizer (tokenizer.json "
            + "or its folder); default: the word-level tokenizer written beside the checkpoint.")
    Path tokenizer;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights and texts (default 0).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write every figure as JSON to this file.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (out != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
            throw new InputException(out, "the output folder does not exist");
        }
        if (tokenizer != null && !Files.exists(tokenizer)) {
            throw new InputException(tokenizer, "--tokenizer: no such file or folder");
        }
        Path root = cache != null ? cache : BaseModel.cacheRoot().resolve("scale");
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        ScaleResult result = run(ScaleShape.named(shape), root, tokenizer, seed, stdout);
        if (out != null) {
            AtomicFiles.writeString(out, Json.pretty(result.json()) + "\n");
            stdout.println("results written to " + out);
        }
        result.report(stdout);
        stdout.println(result.summaryLine());
        return result.allSucceeded() ? 0 : 1;
    }

    /** The whole bench on {@code shape}, its checkpoint under {@code root}; prints progress to {@code log}. */
    static ScaleResult run(ScaleShape shape, Path root, Path realTokenizer, long seed, PrintStream log)
            throws IOException {
        RandomCheckpoint.Prepared checkpoint = RandomCheckpoint.ensure(shape, seed, RandomCheckpoint.SHARD_BYTES,
                root.resolve(shape.name()));
        LlamaConfig c = HfConfig.read(checkpoint.dir());
        long parameters = ModelShapes.of(c).values().stream().mapToLong(RandomCheckpoint::elements).sum();
        log.printf("shape %s: %,d parameters; checkpoint %s %s in %.1f s (%.2f GB)%n", shape.name(), parameters,
                checkpoint.dir(), checkpoint.reused() ? "reused" : "written", checkpoint.seconds(),
                checkpoint.bytes() / 1e9);
        ScaleResult.Matmul before = matmul(c, "before the tasks", log);
        Files.createDirectories(root);
        Path work = Files.createTempDirectory(root, "." + shape.name() + "-run-");
        try (Tokenizer tok = Tokenizers.load(realTokenizer != null ? realTokenizer : checkpoint.dir())) {
            ScaleTasks tasks = new ScaleTasks(shape, c, checkpoint.dir(), realTokenizer, work, log);
            ScaleTexts texts = new ScaleTexts(tok, RandomCheckpoint.words(c), seed);
            ScaleResult.Task unlearn = tasks.unlearn(texts);
            List<McqItem> questions = texts.questions(shape.workload().questions());
            long promptTokens = questions.stream().mapToLong(texts::promptTokens).sum();
            ScaleResult.Task eval = tasks.eval(questions);
            ScaleResult.Task generate = tasks.generate(texts, tok);
            ScaleResult.Matmul matmul = before.faster(matmul(c, "after the tasks", log));
            return new ScaleResult(shape, parameters, ForwardBench.matmulParameters(c), checkpoint, matmul,
                    promptTokens, unlearn, eval, generate);
        } finally {
            OutputFolder.deleteTree(work);
        }
    }

    /**
     * The engine's matmul at the shape's MLP size, in both dtypes a BF16 checkpoint can be computed in. Measured
     * before and after the tasks, the faster of the two kept: on a shared machine one reading can be slowed.
     */
    private static ScaleResult.Matmul matmul(LlamaConfig c, String when, PrintStream log) {
        int m = ScaleResult.Matmul.ROWS;
        ScaleResult.Matmul r = new ScaleResult.Matmul(m,
                EngineMatmul.gflops(DType.F32, m, c.hiddenSize(), c.intermediateSize(), 3),
                EngineMatmul.gflops(DType.BF16, m, c.hiddenSize(), c.intermediateSize(), 3));
        log.printf("engine matmul [%d x %d] @ [%d x %d] %s: F32 %.1f GFLOP/s, BF16 %.1f GFLOP/s%n", m,
                c.hiddenSize(), c.hiddenSize(), c.intermediateSize(), when, r.f32Gflops(), r.bf16Gflops());
        return r;
    }

    /** Arguments joined for a log line. */
    static String joined(List<String> args) {
        return args.stream().map(a -> a.contains(" ") ? "'" + a + "'" : a).collect(Collectors.joining(" "));
    }

    /** A mutable list of {@code first} then {@code rest}. */
    static List<String> args(String... items) {
        return new ArrayList<>(List.of(items));
    }
}
