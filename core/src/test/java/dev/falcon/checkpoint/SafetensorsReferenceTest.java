package dev.falcon.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * reference.safetensors was written by the Hugging Face safetensors library (see make_reference.py
 * beside it): the reader must decode it, and the writer must reproduce it byte for byte.
 */
class SafetensorsReferenceTest {

    @TempDir
    Path dir;

    private static Path reference() throws URISyntaxException {
        return Path.of(SafetensorsReferenceTest.class.getResource("reference.safetensors").toURI());
    }

    @Test
    void readerDecodesTheReferenceFile() throws Exception {
        try (SafetensorsFile st = SafetensorsFile.open(reference())) {
            assertEquals(Map.of("format", "np"), st.metadata());
            assertEquals(List.of("w", "a", "b", "s", "h", "i"), st.tensors().stream().map(TensorInfo::name).toList());
            assertArrayEquals(new double[] {1.5, -2.25}, st.doubles("w"));
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, st.floats("b"));
            assertArrayEquals(new long[] {2, 3}, st.info("b").shape());
            assertArrayEquals(new float[] {0.5f, -1f, 3.25f}, st.floats("a"));
            assertArrayEquals(new float[] {1f, -2f, 65504f}, st.floats("h"));
            assertArrayEquals(new long[] {-128, -1, 0, 1, 127}, st.longs("i"));
            assertArrayEquals(new long[] {7}, st.longs("s"));
            assertArrayEquals(new long[0], st.info("s").shape());
        }
    }

    @Test
    void writerReproducesTheReferenceFileExactly() throws Exception {
        Path copy = dir.resolve("copy.safetensors");
        // insertion order deliberately differs from the file's order
        SafetensorsWriter writer = new SafetensorsWriter().metadata(Map.of("format", "np"));
        try (SafetensorsFile st = SafetensorsFile.open(reference())) {
            for (String name : List.of("i", "h", "s", "b", "a", "w")) {
                TensorInfo info = st.info(name);
                writer.add(name, info.dtype(), info.shape(), st.bytes(name));
            }
            writer.write(copy);
        }
        assertEquals(-1, Files.mismatch(reference(), copy));
    }
}
