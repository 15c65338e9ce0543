package dev.falcon.checkpoint;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.falcon.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary bytes as a safetensors file: opening and reading every tensor may only fail with an
 * InputException naming the file. Plain {@code mvn test} replays the seeds under
 * src/test/resources/dev/falcon/checkpoint/SafetensorsFuzzTestInputs; to fuzz for maxDuration instead (Jazzer
 * fuzzes one fuzz test per run, so select it):
 * {@code JAZZER_FUZZ=1 mvn test -Dtest='SafetensorsFuzzTest#openArbitraryFile'}.
 */
class SafetensorsFuzzTest {

    /** The header's keywords, so mutations reach the entry checks rather than stopping at JSON syntax. */
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F64\"", "\"F32\"",
            "\"F16\"", "\"BF16\"", "\"I64\"", "\"I32\"", "\"I16\"", "\"I8\"", "\"U8\"", "\"BOOL\""})
    void openArbitraryFile(byte[] content) throws IOException {
        Path file = Files.createTempFile("fuzz", ".safetensors");
        try {
            Files.write(file, content);
            readEverything(file);
        } catch (InputException e) {
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        } finally {
            Files.delete(file);
        }
    }

    /** Whatever the header claims, an accepted file must serve each tensor's exact byte range. */
    private static void readEverything(Path file) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (TensorInfo info : st.tensors()) {
                assertEquals(info.end() - info.begin(), st.bytes(info.name()).remaining());
                assertEquals(info.numel(), elementsOf(st, info));
            }
        }
    }

    private static long elementsOf(SafetensorsFile st, TensorInfo info) {
        return switch (info.dtype()) {
            case F64, F32, F16, BF16 -> st.floats(info.name()).length;
            case BOOL -> st.bytes(info.name()).remaining();
            default -> st.longs(info.name()).length;
        };
    }
}
