package dev.falcon.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.InputException;
import dev.falcon.engine.Engine;
import dev.falcon.io.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A Hugging Face tokenizer.json, run by the Rust {@code tokenizers} library through DJL. BOS/EOS
 * come from tokenizer_config.json and generation_config.json next to it (see {@link
 * HfSpecialTokens}). Special tokens are added by {@link #encode} itself, never by the tokenizer's
 * post-processor, so that {@code encode(text, bos, eos)} means the same for every model.
 *
 * <p>Holds a native tokenizer: close it.
 */
public final class HfTokenizer implements Tokenizer {

    static {
        // DJL otherwise phones home on every load and may download a native library for a GPU
        // "flavor"; the CPU library bundled in the jar is all a tokenizer needs. Users may override.
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("RUST_FLAVOR", "cpu");
    }

    /** No automatic specials, no truncation to DJL's default 512 tokens, no padding. */
    private static final Map<String, String> DJL_OPTIONS =
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final HfSpecialTokens specials;

    private HfTokenizer(Path file, HuggingFaceTokenizer tokenizer, int vocabSize, HfSpecialTokens specials) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.specials = specials;
    }

    /**
     * Past this size of tokenizer.json, loading ends by giving back the memory its parse used: Llama 3's
     * (17 MB) left 370 MiB of heap and 85 MiB of native free lists behind, which {@link Engine#releaseGarbage}
     * returns (resident memory after loading it: 675 MiB before, 217 MiB after).
     */
    private static final long LARGE_JSON_BYTES = 1 << 22;

    /** Loads a tokenizer.json file, or the tokenizer.json of a model folder. */
    public static HfTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new InputException(file, "no such tokenizer.json");
        }
        byte[] json = readBytes(file);
        HfTokenizer tokenizer = parse(file, json);
        if (json.length > LARGE_JSON_BYTES) {
            Engine.releaseGarbage();
        }
        return tokenizer;
    }

    private static HfTokenizer parse(Path file, byte[] json) {
        JsonNode root = Json.parseObject(json, file);
        LibraryPanicGuard.check(file, root);
        Map<String, Integer> ids = tokenIds(file, root);
        int vocabSize = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        HfSpecialTokens specials = HfSpecialTokens.read(file.toAbsolutePath().getParent(), ids, vocabSize);
        return new HfTokenizer(file, createNative(file, json), vocabSize, specials);
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException(file, "cannot read: " + e, e);
        }
    }

    /** Token string to id, from model.vocab (a map, or Unigram's [piece, score] list) and added_tokens. */
    private static Map<String, Integer> tokenIds(Path file, JsonNode root) {
        JsonNode vocab = root.path("model").path("vocab");
        if (!vocab.isObject() && !vocab.isArray()) {
            throw new InputException(file, "no model.vocab");
        }
        Map<String, Integer> ids = new HashMap<>();
        if (vocab.isObject()) {
            vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asInt()));
        } else {
            for (int id = 0; id < vocab.size(); id++) {
                ids.put(vocab.get(id).path(0).asText(), id);
            }
        }
        addTokens(ids, vocab.size(), root.path("added_tokens"));
        return ids;
    }

    /**
     * Gives added_tokens the ids the tokenizers library (0.21) gives them, which are not always the file's "id"
     * fields: a token whose text is already known keeps that id, a new one gets the model's vocabulary size, or
     * one past the largest added id once that reaches it. Trusting the file's ids let a token the library encodes
     * as 5 pass as id 0 of a 3-token vocabulary (a fuzzer finding).
     */
    private static void addTokens(Map<String, Integer> ids, int modelSize, JsonNode addedTokens) {
        int largestAdded = -1;
        for (JsonNode added : addedTokens) {
            String content = added.path("content").asText();
            if (content.isEmpty()) {
                continue;
            }
            Integer id = ids.get(content);
            if (id == null) {
                id = largestAdded < 0 ? modelSize
                        : largestAdded >= modelSize || modelSize == 0 ? largestAdded + 1 : modelSize;
                ids.put(content, id);
            }
            largestAdded = Math.max(largestAdded, id);
        }
    }

    private static HuggingFaceTokenizer createNative(Path file, byte[] json) {
        try {
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), DJL_OPTIONS);
        } catch (IOException | RuntimeException e) {
            throw new InputException(file, "the tokenizers library rejects it: " + e.getMessage(), e);
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null && System.getenv(property) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * Text that already begins with the BOS token (a chat template's {@code {{ bos_token }}}, which the
     * tokenizer reads as that token) gets no second one.
     */
    @Override
    public int[] encode(String text, boolean bos, boolean eos) {
        long[] ids = library("encode", () -> tokenizer.encode(text, false, false).getIds());
        int bosId = bos ? requireSpecial(specials.bos(), "BOS") : -1;
        int prefix = bos && !(ids.length > 0 && ids[0] == bosId) ? 1 : 0;
        int[] out = new int[ids.length + prefix + (eos ? 1 : 0)];
        if (prefix == 1) {
            out[0] = bosId;
        }
        for (int i = 0; i < ids.length; i++) {
            out[i + prefix] = libraryId(ids[i]);
        }
        if (eos) {
            out[out.length - 1] = requireSpecial(specials.eos(), "EOS");
        }
        return out;
    }

    /** An id the library encoded to; one outside the vocabulary read from the file would index past the embeddings. */
    private int libraryId(long id) {
        if (id < 0 || id >= vocabSize) {
            throw new InputException(file, "the tokenizers library encodes to id " + id
                    + ", outside the vocabulary 0.." + (vocabSize - 1) + " read from it");
        }
        return (int) id;
    }

    private int requireSpecial(int id, String name) {
        if (id < 0) {
            throw new InputException(file, "defines no " + name + " token (tokenizer_config.json or generation_config.json)");
        }
        return id;
    }

    /**
     * Drops BOS/EOS by id (a tokenizer.json need not mark them special) and the tokens the
     * tokenizer marks special.
     */
    @Override
    public String decode(int[] ids) {
        long[] kept = new long[ids.length];
        int count = 0;
        for (int id : ids) {
            checkId(id);
            if (!isSpecial(id)) {
                kept[count++] = id;
            }
        }
        long[] keptIds = Arrays.copyOf(kept, count);
        return library("decode", () -> tokenizer.decode(keptIds, true));
    }

    /**
     * A call into the tokenizers library. A tokenizer.json it loads can still fail there (an unk_token missing
     * from the vocabulary fails only on text that needs it): that is the file's problem, so say which file.
     */
    private <T> T library(String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalStateException closed) {
            throw closed; // used after close(): the caller's bug, not the file's
        } catch (RuntimeException e) {
            throw new InputException(file, "the tokenizers library cannot " + action + " with it: " + e.getMessage(), e);
        }
    }

    /**
     * The difference between decoding {@code [prev, next]} and {@code [prev]}: decoders such as
     * Metaspace's Strip or byte-level BPE treat a token differently at the start of the text, so
     * the previous token is kept as context.
     */
    @Override
    public String decodeNext(int prev, int next) {
        checkId(next);
        if (isSpecial(next)) {
            return "";
        }
        boolean context = prev >= 0 && prev < vocabSize;
        String before = context ? decode(new int[] {prev}) : "";
        String after = decode(context ? new int[] {prev, next} : new int[] {next});
        return DecodeStream.added(before, after);
    }

    private boolean isSpecial(int id) {
        return id == specials.bos() || id == specials.eos();
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary 0.." + (vocabSize - 1));
        }
    }

    /** -1 when the model defines none. */
    @Override
    public int bosId() {
        return specials.bos();
    }

    /** -1 when the model defines none. */
    @Override
    public int eosId() {
        return specials.eos();
    }

    /** tokenizer_config.json's add_bos_token; when absent, true if the model has a BOS token. */
    public boolean addBosByDefault() {
        return specials.addBos();
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    /** Frees the native tokenizer; idempotent. */
    @Override
    public void close() {
        tokenizer.close();
    }
}
