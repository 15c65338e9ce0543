package dev.falcon.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.falcon.InputException;
import dev.falcon.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the objects of a JSON data file, whichever of the two layouts it uses: one JSON array of
 * objects (TOFU's forget01.json) or JSON lines (TOFU's real_authors_perturbed.json, every
 * .jsonl). The first non-blank character decides, so the extension does not have to.
 */
final class JsonRecords {

    /** Two objects on one JSON line are an error, not a silently dropped second object. */
    private static final ObjectReader LINE_READER = Json.MAPPER.readerFor(JsonNode.class);
    /** An array's objects are read one at a time from one parser, so the next one is no trailing token. */
    private static final ObjectReader ELEMENT_READER =
            Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonRecords() {
    }

    static List<JsonRecord> read(Path file) {
        String text = DataFiles.readUtf8(file);
        String trimmed = text.stripLeading();
        if (trimmed.isEmpty()) {
            return List.of();
        }
        return trimmed.charAt(0) == '[' ? readArray(file, text) : readLines(file, text);
    }

    private static List<JsonRecord> readLines(Path file, String text) {
        List<JsonRecord> records = new ArrayList<>();
        String[] lines = DataFiles.lines(text);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            int line = i + 1;
            JsonNode node = parseLine(file, lines[i], line);
            requireObject(file, node, line);
            records.add(new JsonRecord(node, line));
        }
        return records;
    }

    private static JsonNode parseLine(Path file, String text, int line) {
        try {
            return LINE_READER.readValue(text);
        } catch (JsonProcessingException e) {
            throw new InputException(file, "line " + line + ": malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static List<JsonRecord> readArray(Path file, String text) {
        List<JsonRecord> records = new ArrayList<>();
        try (JsonParser parser = ELEMENT_READER.createParser(text)) {
            parser.nextToken(); // the opening '['
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                int line = parser.currentTokenLocation().getLineNr();
                if (token == null) {
                    throw new InputException(file, "line " + line + ": the JSON array is not closed");
                }
                JsonNode node = ELEMENT_READER.readTree(parser);
                requireObject(file, node, line);
                records.add(new JsonRecord(node, line));
            }
            if (parser.nextToken() != null) {
                int line = parser.currentTokenLocation().getLineNr();
                throw new InputException(file, "line " + line + ": unexpected content after the JSON array");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ": ";
            throw new InputException(file, where + "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InputException(file, "cannot read: " + e.getMessage(), e);
        }
        return records;
    }

    private static void requireObject(Path file, JsonNode node, int line) {
        if (node == null || !node.isObject()) {
            throw new InputException(file, "line " + line + ": expected a JSON object");
        }
    }
}
