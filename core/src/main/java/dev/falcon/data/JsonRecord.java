package dev.falcon.data;

import com.fasterxml.jackson.databind.JsonNode;

/** One JSON object of a data file and the 1-based line where it starts. */
record JsonRecord(JsonNode node, int line) {

    /** The field's string value, or null when it is absent or not a string. */
    String text(String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }
}
