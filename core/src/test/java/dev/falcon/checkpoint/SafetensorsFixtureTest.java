package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads a fixture written in Python by the official FALCON code's test harness, against its own
 * bytes decoded here: the 8-byte header length, the JSON header and little-endian float32 data.
 */
class SafetensorsFixtureTest {

    @Test
    void sophiagFixtureReadsLikeItsRawHeaderAndBytes() throws IOException {
        Path file = SharedData.fixtures().resolve("falcon/sophiag.safetensors");
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) raw.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(raw.array(), 8, headerLength, StandardCharsets.UTF_8));
        Map<String, String> metadata = new HashMap<>();
        header.path("__metadata__").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        List<String> names = new ArrayList<>();
        header.fieldNames().forEachRemaining(names::add);
        names.remove("__metadata__");
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(metadata, st.metadata());
            assertEquals(names, st.tensors().stream().map(TensorInfo::name).toList(), "tensors in file order");
            for (String name : names) {
                JsonNode entry = header.get(name);
                assertEquals("F32", entry.get("dtype").asText(), name);
                assertEquals(DType.F32, st.info(name).dtype(), name);
                assertArrayEquals(longs(entry.get("shape")), st.info(name).shape(), name);
                int start = 8 + headerLength + entry.get("data_offsets").get(0).asInt();
                int end = 8 + headerLength + entry.get("data_offsets").get(1).asInt();
                float[] expected = new float[(end - start) / Float.BYTES];
                raw.slice(start, end - start).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
                assertArrayEquals(expected, st.floats(name), name);
            }
        }
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        Iterator<JsonNode> it = array.elements();
        for (int i = 0; it.hasNext(); i++) {
            out[i] = it.next().asLong();
        }
        return out;
    }
}
