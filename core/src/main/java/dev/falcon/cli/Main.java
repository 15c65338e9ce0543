package dev.falcon.cli;

import dev.falcon.InputException;
import dev.falcon.bench.BenchCommand;
import dev.falcon.io.PeakMemory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code falcon} command line. */
@Command(name = "falcon", mixinStandardHelpOptions = true, version = "falcon 0.1.0",
        description = "Remove targeted knowledge from Llama-family models with FALCON, and prove it is gone.",
        subcommands = {GenerateCommand.class, ConvertCommand.class, LayersCommand.class, UnlearnCommand.class,
            TrainCommand.class, EvalCommand.class, AttackCommand.class, AuditCommand.class, SweepCommand.class,
            DemoCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    static boolean verbose;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        int code = run(args);
        // for benchmarks that run the command line in a child JVM (falcon bench scale): its peak memory
        PeakMemory.reportIfRequested(System.err);
        System.exit(code);
    }

    /** Runs the CLI and returns the exit code: 0 done, 1 failed, 2 bad input or usage, 3 an audit's verdict failed. */
    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true");
        CommandLine cl = commandLine();
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(e));
        try {
            return cl.execute(ConfigArgs.expand(args, cl));
        } catch (InputException e) {
            return report(e);
        }
    }

    /** The command line with every subcommand, the cluster's benchmarks included when the build has them. */
    private static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // a config file's values come first, so that the same option on the command line wins
        cl.setOverwrittenOptionsAllowed(true);
        ClusterOptions.provider().ifPresent(p -> p.benchCommands().forEach(cl.getSubcommands().get("bench")::addSubcommand));
        return cl;
    }

    /**
     * The command {@code args} name, parsed but not run (for a command that runs others: falcon sweep); an
     * argument picocli refuses is an {@link InputException} with its message.
     */
    static Object parse(String... args) {
        try {
            CommandLine.ParseResult parsed = commandLine().parseArgs(args);
            while (parsed.hasSubcommand()) {
                parsed = parsed.subcommand();
            }
            return parsed.commandSpec().userObject();
        } catch (CommandLine.ParameterException e) {
            throw new InputException(e.getMessage());
        }
    }

    private static int report(Exception e) {
        if (verbose) {
            e.printStackTrace();
        }
        if (e instanceof InputException) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        System.err.println("error: " + msg.lines().findFirst().orElse(msg)
                + (verbose ? "" : " (run with --verbose for details)"));
        return 1;
    }
}
