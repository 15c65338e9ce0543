package dev.falcon.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** A config file's values go right after the subcommand names, before the command line's own options. */
class ConfigArgsTest {

    private final CommandLine falcon = new CommandLine(new Main());

    @Test
    void valuesFollowTheSubcommandNames(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), "data: /absent\nseeds: [1, 2]\nno-cache: true\n");
        assertArrayEquals(new String[] {"bench", "tofu", "--data=/absent", "--seeds=1", "--seeds=2", "--no-cache", "--out", "x"},
                ConfigArgs.expand(new String[] {"bench", "tofu", "--config", config.toString(), "--out", "x"}, falcon));
        assertArrayEquals(new String[] {"unlearn", "--data=/absent", "--seeds=1", "--seeds=2", "--no-cache", "--layer", "3"},
                ConfigArgs.expand(new String[] {"unlearn", "--layer", "3", "--config=" + config}, falcon));
    }
}
