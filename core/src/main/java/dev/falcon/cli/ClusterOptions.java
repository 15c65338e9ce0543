package dev.falcon.cli;

import dev.falcon.InputException;
import picocli.CommandLine.Option;

import java.util.Optional;
import java.util.ServiceLoader;

/** --spark, for the commands whose scoring a cluster can take over. */
final class ClusterOptions {

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Score on an Apache Spark cluster: its master URL (local[4], spark://host:7077, yarn, "
                    + "k8s://https://host:6443). Needs the falcon-spark module (./falcon uses it once built, or "
                    + "spark-submit its shaded jar); every node must read the model and tokenizer at their paths.")
    String master;

    /** The cluster --spark names, or empty without --spark. */
    Optional<Cluster> connect(String job) {
        if (master == null) {
            return Optional.empty();
        }
        ClusterProvider provider = provider().orElseThrow(() -> new InputException("--spark " + master
                + ": this build has no Spark support; build the spark module (mvn package at the root) "
                + "and run ./falcon, or spark-submit falcon-spark-*-shaded.jar"));
        return Optional.of(provider.connect(master, job));
    }

    /** The cluster support on the class path, if any (the falcon-spark module's). */
    static Optional<ClusterProvider> provider() {
        return ServiceLoader.load(ClusterProvider.class).findFirst();
    }
}
