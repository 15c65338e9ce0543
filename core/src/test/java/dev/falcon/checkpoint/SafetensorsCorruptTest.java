package dev.falcon.checkpoint;

import dev.falcon.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed file must give an InputException that starts with the file's path. */
class SafetensorsCorruptTest {

    @TempDir
    Path dir;

    /** Length prefix + header bytes + zeroed data section, as the format lays them out. */
    private static byte[] raw(byte[] header, long declaredLength, int dataBytes) {
        return ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(declaredLength).put(header).array();
    }

    private static byte[] raw(String header, int dataBytes) {
        byte[] bytes = header.getBytes(StandardCharsets.UTF_8);
        return raw(bytes, bytes.length, dataBytes);
    }

    private Path file(byte[] content) throws IOException {
        return Files.write(dir.resolve("bad.safetensors"), content);
    }

    private static void assertRejected(Path file, String problem) {
        InputException e = assertThrows(InputException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void missingFile() {
        assertRejected(dir.resolve("absent.safetensors"), "not found");
    }

    @Test
    void shorterThanTheLengthPrefix() throws IOException {
        assertRejected(file(new byte[5]), "file has 5 bytes");
        assertRejected(file(new byte[0]), "file has 0 bytes");
    }

    @Test
    void truncatedDataSection() throws IOException {
        byte[] whole = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16);
        assertRejected(file(Arrays.copyOf(whole, whole.length - 3)), "run past the end of the data section (13 bytes)");
    }

    @Test
    void headerLengthPastEndOfFile() throws IOException {
        assertRejected(file(raw("{}".getBytes(StandardCharsets.UTF_8), 1000, 0)), "header length 1000 runs past the end");
    }

    @Test
    void headerLengthThatIsNegativeAsSignedOrHuge() throws IOException {
        assertRejected(file(raw(new byte[0], -1, 0)), "header length 18446744073709551615 is not within");
        assertRejected(file(raw(new byte[0], 200_000_000, 0)), "header length 200000000 is not within");
    }

    @Test
    void invalidJson() throws IOException {
        assertRejected(file(raw("{\"a\": ", 0)), "invalid JSON");
        assertRejected(file(raw("{} {}", 0)), "invalid JSON");
        assertRejected(file(raw("", 0)), "expected a JSON object");
        assertRejected(file(raw("[1, 2]", 0)), "expected a JSON object");
    }

    @Test
    void headerThatIsNotUtf8() throws IOException {
        byte[] header = "{\"x\":{}}".getBytes(StandardCharsets.UTF_8);
        header[2] = (byte) 0xC3; // a UTF-8 lead byte followed by '"' is malformed
        assertRejected(file(raw(header, header.length, 0)), "not valid UTF-8");
    }

    @Test
    void unknownDtype() throws IOException {
        assertRejected(file(raw("{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1)),
                "unknown dtype 'Q4'");
    }

    @Test
    void byteCountThatDisagreesWithShapeAndDtype() throws IOException {
        assertRejected(file(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)),
                "data_offsets span 4 bytes but F32 [2] needs 8");
    }

    @Test
    void shapeWhoseElementCountOverflows() throws IOException {
        String huge = String.valueOf(1L << 62);
        assertRejected(file(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + huge + "," + huge
                + "],\"data_offsets\":[0,4]}}", 4)), "overflows");
    }

    @Test
    void offsetsPastTheEnd() throws IOException {
        assertRejected(file(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[4,12]}}", 8)),
                "data_offsets [4, 12] run past the end of the data section (8 bytes)");
    }

    @Test
    void overlappingRanges() throws IOException {
        assertRejected(file(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)), "'a' and 'b' overlap");
    }

    @Test
    void malformedEntries() throws IOException {
        assertRejected(file(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[2,1]}}", 4)),
                "begin <= end");
        assertRejected(file(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,1]}}", 4)),
                "shape must be an array of non-negative integers");
        assertRejected(file(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[1.5],\"data_offsets\":[0,1]}}", 4)),
                "shape must be an array of non-negative integers");
        assertRejected(file(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[1]}}", 4)), "data_offsets must be");
        assertRejected(file(raw("{\"a\":{\"shape\":[1],\"data_offsets\":[0,1]}}", 4)), "dtype is missing");
        assertRejected(file(raw("{\"a\":[]}", 0)), "entry is not a JSON object");
        assertRejected(file(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 4)), "Duplicate field 'a'");
    }

    @Test
    void metadataThatIsNotStrings() throws IOException {
        assertRejected(file(raw("{\"__metadata__\":{\"lr\":0.1}}", 0)), "value of 'lr' is not a string");
        assertRejected(file(raw("{\"__metadata__\":[]}", 0)), "__metadata__ is not a JSON object");
    }

    /** The reference requires the data section to be covered exactly; here trailing bytes are tolerated. */
    @Test
    void dataSectionWithUnusedTrailingBytesIsAccepted() throws IOException {
        byte[] content = raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 10);
        try (SafetensorsFile st = SafetensorsFile.open(file(content))) {
            assertArrayEquals(new long[] {0, 0}, st.longs("a"));
        }
    }

    @Test
    void absentTensorAndWrongDtypeNameTheFileAndTensor() throws IOException {
        Path file = file(raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            InputException absent = assertThrows(InputException.class, () -> st.bytes("b"));
            assertTrue(absent.getMessage().equals(file + ": no tensor named 'b'"), absent.getMessage());
            InputException wrongType = assertThrows(InputException.class, () -> st.floats("a"));
            assertTrue(wrongType.getMessage().startsWith(file + ": tensor 'a' has dtype U8"), wrongType.getMessage());
        }
    }
}
