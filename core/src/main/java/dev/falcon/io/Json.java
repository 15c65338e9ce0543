package dev.falcon.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The project's one JSON mapper: strict reading of every JSON input (checkpoint headers, configs, data
 * files, tokenizers), and one layout for every JSON file written.
 */
public final class Json {

    /**
     * Duplicate keys are rejected because a later duplicate would silently win (two tensors of one
     * name, two values of one setting); trailing tokens because they mean the file is not one JSON
     * value.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Jackson's default pretty printer (two-space indent, {@code "key" : value}): every written JSON file. */
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    /** Config and index files are small; anything larger is not what we think it is. */
    private static final long MAX_FILE_BYTES = 64L << 20;

    private Json() {
    }

    /** {@code node} pretty-printed, without a final newline. */
    public static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** Reads a whole file that must hold one JSON object. */
    public static ObjectNode readObject(Path file) {
        return parseObject(readBytes(file), file);
    }

    /** Parses UTF-8 bytes that must hold one JSON object; {@code file} names them in errors. */
    public static ObjectNode parseObject(byte[] bytes, Path file) {
        String text = decodeUtf8(bytes, file);
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InputException(file, "invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new InputException(file, "expected a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Jackson would replace malformed UTF-8 silently in some paths; decode strictly first. */
    private static String decodeUtf8(byte[] bytes, Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InputException(file, "not valid UTF-8 text", e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new InputException(file, "file has " + size + " bytes; a JSON file this large is not supported");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file, "file not found", e);
        } catch (IOException e) {
            throw new InputException(file, "cannot read: " + e, e);
        }
    }
}
