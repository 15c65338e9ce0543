package dev.falcon.spark;

import dev.falcon.engine.Engine;
import org.apache.spark.SparkConf;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How falcon runs on Spark's executors: one libtorch thread pool per executor, sized to its cores, and one
 * task at a time on it (each task uses every core of its executor, as a single machine's run does);
 * the environment libtorch needs ({@link Engine#NATIVE_ENVIRONMENT}); JavaCPP's physical-memory cap off, as
 * the launcher does.
 * Settings the user gave are kept.
 */
final class ExecutorSettings {

    /** local[N], local[N,F], local[*], local-cluster[workers,cores,memory]: the cores of one executor. */
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\*|\\d+)(?:,\\d+)?]");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\d+,\\s*(\\d+),\\s*\\d+]");

    private ExecutorSettings() {
    }

    static void apply(SparkConf conf) {
        // the environment libtorch needs (threads that sleep when idle, glibc giving freed tensors back)
        Engine.NATIVE_ENVIRONMENT.forEach((name, value) -> {
            if (!conf.contains("spark.executorEnv." + name)) {
                conf.setExecutorEnv(name, value);
            }
        });
        String javaOptions = conf.get("spark.executor.extraJavaOptions", "");
        if (!javaOptions.contains("maxPhysicalBytes")) {
            conf.set("spark.executor.extraJavaOptions",
                    (javaOptions + " -Dorg.bytedeco.javacpp.maxPhysicalBytes=0").trim());
        }
        OptionalInt cores = executorCores(conf);
        if (cores.isPresent()) {
            conf.setIfMissing("spark.task.cpus", Integer.toString(cores.getAsInt()));
            if (!conf.contains("spark.executorEnv.FALCON_THREADS")) {
                conf.setExecutorEnv("FALCON_THREADS", Integer.toString(cores.getAsInt()));
            }
        }
        // Spark's progress bar on the driver's console: stage, tasks done, running and in all
        conf.setIfMissing("spark.ui.showConsoleProgress", "true");
    }

    /**
     * The cores of one executor: spark.executor.cores, or what a local master gives; empty on a standalone
     * master that was left to give each executor all of its worker's cores (then libtorch takes them all).
     */
    static OptionalInt executorCores(SparkConf conf) {
        if (conf.contains("spark.executor.cores")) {
            return OptionalInt.of(conf.getInt("spark.executor.cores", 1));
        }
        String master = conf.get("spark.master", "");
        Matcher local = LOCAL.matcher(master);
        if (local.matches()) {
            return OptionalInt.of(local.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                    : Integer.parseInt(local.group(1)));
        }
        Matcher cluster = LOCAL_CLUSTER.matcher(master);
        if (cluster.matches()) {
            return OptionalInt.of(Integer.parseInt(cluster.group(1)));
        }
        if (master.equals("local")) {
            return OptionalInt.of(1);
        }
        if (master.equals("yarn") || master.startsWith("k8s://")) {
            return OptionalInt.of(1); // their default spark.executor.cores
        }
        return OptionalInt.empty();
    }
}
