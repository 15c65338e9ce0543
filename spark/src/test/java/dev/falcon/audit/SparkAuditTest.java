package dev.falcon.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.cli.Main;
import dev.falcon.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code falcon audit --spark} writes the audit.json of the single-machine audit: the same accuracies,
 * attack curves (each attack on each model a task of its own, fine-tuning and GCG included), membership scores
 * and verdict, compared exactly, with the first attempt of a task of every job failing and retried. The models
 * are {@link AuditWorld}'s small pair (the demo's FALCON model takes minutes to make; README, "On a Spark
 * cluster", gives that comparison by hand).
 */
class SparkAuditTest {

    @TempDir
    Path tmp;

    @Test
    void sparkAuditEqualsTheSingleMachineAudit() throws IOException {
        AuditWorld world = AuditWorld.create(tmp.resolve("world"));
        JsonNode single = audit(world, tmp.resolve("single"));
        System.setProperty("spark.falcon.failOnce", "1");
        JsonNode spark;
        try {
            spark = audit(world, tmp.resolve("spark"), "--spark", "local[2,2]");
        } finally {
            System.clearProperty("spark.falcon.failOnce");
        }
        assertTrue(single.get("attacks").size() > 0, "the battery ran: " + single);
        assertEquals(single, spark);
    }

    private static JsonNode audit(AuditWorld world, Path out, String... cluster) throws IOException {
        List<String> args = new ArrayList<>(List.of("audit", "--model", world.retrained.toString(), "--original",
                world.original.toString(), "--forget-mcq", world.forgetMcq.toString(), "--retain-mcq",
                world.retainMcq.toString(), "--forget-text", world.forgetText.toString(), "--holdout-text",
                world.holdoutText.toString(), "--retain-text", world.retainText.toString(), "--form", "cloze",
                "--add-bos",
                // the fine-tuning attacks' and GCG's shortest budgets suffice here
                "--budget", "relearn=10x0,10x5", "--budget", "finetune-unrelated=10x0,10x5", "--budget", "gcg=0,2",
                "--forget-margin", "25", "--out", out.toString()));
        args.addAll(List.of(cluster));
        assertEquals(0, Main.run(args.toArray(String[]::new)));
        return Json.MAPPER.readTree(out.resolve("audit.json").toFile());
    }
}
