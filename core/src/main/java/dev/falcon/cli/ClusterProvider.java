package dev.falcon.cli;

import java.util.List;

/**
 * Connects {@code --spark} to a cluster. The core jar has none; the falcon-spark module provides one through
 * {@link java.util.ServiceLoader}, so that the core stays free of Spark.
 */
public interface ClusterProvider {

    /** A cluster at {@code master}, its work shown under the name {@code job}. */
    Cluster connect(String master, String job);

    /** Benchmarks that need the cluster, added under {@code falcon bench} (picocli command objects). */
    List<Object> benchCommands();
}
