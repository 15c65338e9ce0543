package dev.falcon.spark;

import dev.falcon.cli.Cluster;
import dev.falcon.cli.ClusterProvider;

import java.util.List;

/** {@code --spark MASTER} on Apache Spark, found by the core command line through ServiceLoader. */
public final class SparkClusterProvider implements ClusterProvider {

    @Override
    public Cluster connect(String master, String job) {
        return new SparkCluster(master, job);
    }

    @Override
    public List<Object> benchCommands() {
        return List.of(new ClusterBench());
    }
}
