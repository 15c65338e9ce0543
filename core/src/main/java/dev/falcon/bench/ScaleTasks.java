package dev.falcon.bench;

import dev.falcon.data.McqItem;
import dev.falcon.io.AtomicFiles;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.ModelShapes;
import dev.falcon.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three tasks of {@code falcon bench scale}, each the plain {@code falcon} command a user would type, run in
 * a child JVM; the time of the work itself comes from the line each command prints on stderr.
 */
final class ScaleTasks {

    /** UnlearnCommand's "falcon: 4 steps in 12.3 s". */
    static final Pattern STEPS = Pattern.compile("^\\S+: (\\d+) steps in ([0-9.]+) s$");
    /** EvalCommand's "scale: 20 questions scored in 45.6 s". */
    static final Pattern SCORED = Pattern.compile("^\\S+: (\\d+) questions scored in ([0-9.]+) s$");
    /** Lines of a failed child's stderr that the report keeps. */
    static final int FAILURE_LINES = 15;
    private static final long MIB = 1 << 20;
    /** Words of the generation prompt. */
    private static final int PROMPT_WORDS = 8;

    private final ScaleShape shape;
    private final LlamaConfig config;
    private final Path model;
    private final Path tokenizer;
    private final Path work;
    private final PrintStream log;

    /** {@code tokenizer}: passed to every command, or null for the one in the model folder. */
    ScaleTasks(ScaleShape shape, LlamaConfig config, Path model, Path tokenizer, Path work, PrintStream log) {
        this.shape = shape;
        this.config = config;
        this.model = model;
        this.tokenizer = tokenizer;
        this.work = work;
        this.log = log;
    }

    /**
     * A heap with room for one whole tensor in float32 beside 1 GiB of working space: the weights themselves live
     * outside the heap, in libtorch's memory.
     */
    long heapMib() {
        long largest = ModelShapes.of(config).values().stream().mapToLong(RandomCheckpoint::elements).max().orElse(0);
        return 1024 + (largest * Float.BYTES + MIB - 1) / MIB;
    }

    /** FALCON with l* = num_layers / 2 (edits l*-2..l*), one batch a step, each batch used once. */
    ScaleResult.Task unlearn(ScaleTexts texts) throws IOException {
        ScaleShape.Workload w = shape.workload();
        int documents = w.unlearnSteps() * w.batch();
        Path forget = work.resolve("forget.txt");
        Path retain = work.resolve("retain.txt");
        AtomicFiles.writeString(forget, String.join("\n", texts.documents(documents, w.tokens())) + "\n");
        AtomicFiles.writeString(retain, String.join("\n", texts.documents(documents, w.tokens())) + "\n");
        List<String> args = command("unlearn");
        args.addAll(List.of("--forget", forget.toString(), "--retain", retain.toString(),
                "--out", work.resolve("unlearned").toString(), "--layer", String.valueOf(config.numLayers() / 2),
                "--max-batches", String.valueOf(w.unlearnSteps()), "--batch-size", String.valueOf(w.batch())));
        return child("unlearn", args, STEPS);
    }

    /** Lettered scoring only (no cloze), plain prompts, the command's default batch size. */
    ScaleResult.Task eval(List<McqItem> questions) throws IOException {
        Path file = work.resolve(ScaleTexts.SUBJECT + ".jsonl");
        ScaleTexts.writeQuestions(questions, file);
        List<String> args = command("eval");
        args.addAll(List.of("--mcq", file.toString(), "--no-cloze", "--no-chat-template",
                "--out", work.resolve("results.json").toString()));
        return child("eval", args, SCORED);
    }

    /** Greedy generation of the workload's tokens after a short prompt. */
    ScaleResult.Task generate(ScaleTexts texts, Tokenizer tok) {
        String prompt = texts.prompt(PROMPT_WORDS);
        int promptTokens = tok.encode(prompt, true, false).length - 1;
        List<String> args = command("generate");
        args.addAll(List.of("--prompt", prompt, "--temperature", "0",
                "--max-tokens", String.valueOf(promptTokens + shape.workload().generatedTokens())));
        return child("generate", args, null);
    }

    private List<String> command(String name) {
        List<String> args = ScaleBench.args(name, "--model", model.toString());
        if (tokenizer != null) {
            args.addAll(List.of("--tokenizer", tokenizer.toString()));
        }
        return args;
    }

    /** Runs one command; {@code phase} finds the count and seconds of its work on stderr (null: none). */
    private ScaleResult.Task child(String name, List<String> args, Pattern phase) {
        log.printf("%s: falcon %s (-Xmx%dm)%n", name, ScaleBench.joined(args), heapMib());
        ChildJvm.Result r = ChildJvm.run(name, ChildJvm.CLI, heapMib(), args);
        int count = -1;
        double seconds = Double.NaN;
        for (String line : phase == null ? List.<String>of() : r.stderr()) {
            Matcher m = phase.matcher(line.strip());
            if (m.matches()) {
                count = Integer.parseInt(m.group(1));
                seconds = Double.parseDouble(m.group(2));
            }
        }
        ScaleResult.Task task = new ScaleResult.Task(name, r.exitCode(), r.wallSeconds(), r.peakMib(), count, seconds,
                r.ok() ? List.of() : r.stderrTail(FAILURE_LINES));
        task.report(log);
        return task;
    }
}
