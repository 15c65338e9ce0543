package dev.falcon.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.falcon.InputException;
import dev.falcon.model.LlamaConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary bytes as config.json: reading may only fail with an InputException naming the file, and
 * any config it accepts must survive write + read unchanged. Seeds are under
 * src/test/resources/dev/falcon/io/HfConfigFuzzTestInputs; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn test -Dtest='HfConfigFuzzTest#readArbitraryConfig'}.
 */
class HfConfigFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void readArbitraryConfig(byte[] content) throws IOException {
        Path dir = Files.createTempDirectory("fuzz");
        Path config = dir.resolve(HfConfig.CONFIG_FILE);
        try {
            Files.write(config, content);
            LlamaConfig read = HfConfig.read(dir);
            HfConfig.write(read, dir);
            assertEquals(read, HfConfig.read(dir));
        } catch (InputException e) {
            assertTrue(e.getMessage().startsWith(config + ": "), e.getMessage());
        } finally {
            Files.delete(config);
            Files.delete(dir);
        }
    }
}
