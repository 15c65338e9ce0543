package dev.falcon.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.falcon.InputException;
import dev.falcon.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * BOS/EOS ids of a Hugging Face model folder. generation_config.json's bos_token_id/eos_token_id
 * win (eos may be a list: the first is taken); otherwise tokenizer_config.json's bos_token/
 * eos_token (a string or an {"content": ...} object) are looked up in the vocabulary. -1 means none.
 */
record HfSpecialTokens(int bos, int eos, boolean addBos) {

    static HfSpecialTokens read(Path folder, Map<String, Integer> ids, int vocabSize) {
        Path generation = folder.resolve("generation_config.json");
        Path tokenizer = folder.resolve("tokenizer_config.json");
        JsonNode genConfig = readOptional(generation);
        JsonNode tokConfig = readOptional(tokenizer);
        int bos = configuredId(generation, genConfig.path("bos_token_id"), vocabSize);
        if (bos < 0) {
            bos = tokenId(tokenizer, tokConfig, "bos_token", ids);
        }
        int eos = configuredId(generation, genConfig.path("eos_token_id"), vocabSize);
        if (eos < 0) {
            eos = tokenId(tokenizer, tokConfig, "eos_token", ids);
        }
        JsonNode addBos = tokConfig.path("add_bos_token");
        return new HfSpecialTokens(bos, eos, addBos.isBoolean() ? addBos.asBoolean() : bos >= 0);
    }

    /** An id, the first of a list of ids, or -1 when absent or null. */
    private static int configuredId(Path file, JsonNode node, int vocabSize) {
        JsonNode id = node.isArray() ? node.path(0) : node;
        if (id.isMissingNode() || id.isNull()) {
            return -1;
        }
        if (!id.canConvertToInt() || !id.isIntegralNumber() || id.asInt() < 0 || id.asInt() >= vocabSize) {
            throw new InputException(file, "token id " + node + " is not an id of the vocabulary 0.." + (vocabSize - 1));
        }
        return id.asInt();
    }

    private static int tokenId(Path file, JsonNode config, String field, Map<String, Integer> ids) {
        JsonNode token = tokenText(config, field);
        if (!token.isTextual()) {
            return -1;
        }
        Integer id = ids.get(token.asText());
        if (id == null) {
            throw new InputException(file, field + " '" + token.asText() + "' is not in tokenizer.json");
        }
        return id;
    }

    /** A special token's text node in tokenizer_config.json: the field itself or, for an object, its "content". */
    static JsonNode tokenText(JsonNode config, String field) {
        JsonNode token = config.path(field);
        return token.isObject() ? token.path("content") : token;
    }

    /** The JSON object in {@code file}; a missing node when there is no such file. */
    static JsonNode readOptional(Path file) {
        return Files.exists(file) ? Json.readObject(file) : MissingNode.getInstance();
    }
}
