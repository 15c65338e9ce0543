package dev.falcon.checkpoint;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
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
 * src/test/resources/dev/falcon/checkpoint/HfConfigFuzzTestInputs; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn test -Dtest='HfConfigFuzzTest#readArbitraryConfig'}.
 */
class HfConfigFuzzTest {

    /** Field names and values, so mutations reach the semantic checks rather than stopping at JSON syntax. */
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({
            "\"architectures\"", "\"LlamaForCausalLM\"", "\"MistralForCausalLM\"",
            "\"Qwen2ForCausalLM\"", "\"hidden_size\"", "\"intermediate_size\"",
            "\"num_hidden_layers\"", "\"num_attention_heads\"", "\"num_key_value_heads\"",
            "\"head_dim\"", "\"rms_norm_eps\"", "\"rope_theta\"", "\"rope_scaling\"",
            "\"rope_parameters\"", "\"rope_type\"", "\"llama3\"", "\"factor\"",
            "\"low_freq_factor\"", "\"high_freq_factor\"", "\"original_max_position_embeddings\"",
            "\"vocab_size\"", "\"tie_word_embeddings\"", "\"attention_bias\"",
            "\"max_position_embeddings\"", "\"torch_dtype\"", "\"bfloat16\"", "\"bos_token_id\"",
            "\"eos_token_id\"", "\"sliding_window\"", "\"use_sliding_window\"", "null"})
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
