package dev.falcon.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.SharedData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chat templates of real tokenizer_config.json files (data/tokenizers), against the text worked out by
 * hand from each template for a one- and a two-message conversation.
 */
class ChatTemplateFixtureTest {

    private static final List<ChatTemplate.Message> ONE = List.of(ChatTemplate.Message.user(" What is 2+2? "));
    private static final List<ChatTemplate.Message> TWO = List.of(new ChatTemplate.Message("system", "Be brief.\n"),
            ChatTemplate.Message.user(" What is 2+2? "));

    private static ChatTemplate template(String model) {
        return ChatTemplate.find(SharedData.data("tokenizers").resolve(model)).orElseThrow();
    }

    @Test
    void llama32TrimsTheMessagesAndDatesTheSystemHeader() {
        ChatTemplate t = template("llama3_2");
        // No tools, so no "Environment" line; date_string from strftime_now; contents go through |trim.
        String header = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n";
        String turns = "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        assertEquals(header + "<|eot_id|>" + turns, t.render(ONE));
        assertEquals(header + "Be brief.<|eot_id|>" + turns, t.render(TWO));
    }

    @Test
    void qwen25AddsItsDefaultSystemMessageAndKeepsContentsAsTheyAre() {
        ChatTemplate t = template("qwen2_5");
        String turns = "<|im_start|>user\n What is 2+2? <|im_end|>\n<|im_start|>assistant\n";
        assertEquals("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant."
                + "<|im_end|>\n" + turns, t.render(ONE));
        assertEquals("<|im_start|>system\nBe brief.\n<|im_end|>\n" + turns, t.render(TWO));
    }

    @Test
    void mistral7bBaseHasNoTemplate() {
        assertTrue(ChatTemplate.find(SharedData.data("tokenizers").resolve("mistral-7b-v0.1")).isEmpty());
    }

    /** The template's special tokens become their ids, and its bos_token is not doubled by a requested BOS. */
    @Test
    void llama32TokenizerReadsTheSpecialTokensOfTheRenderedText() {
        Path folder = SharedData.data("tokenizers").resolve("llama3_2");
        try (HfTokenizer tok = HfTokenizer.load(folder)) {
            String text = template("llama3_2").render(ONE);
            int[] plain = tok.encode(text, false, false);
            assertEquals(tok.bosId(), plain[0]);
            assertEquals(1, Arrays.stream(plain).filter(id -> id == tok.bosId()).count());
            assertArrayEquals(plain, tok.encode(text, true, false), "BOS requested on text that begins with it");
            // system, user and assistant headers; the system and user turns end with <|eot_id|>
            Map<String, Long> counts = Map.of("<|start_header_id|>", 3L, "<|end_header_id|>", 3L, "<|eot_id|>", 2L);
            counts.forEach((special, count) -> {
                int[] ids = tok.encode(special, false, false);
                assertEquals(1, ids.length, special + " is one token");
                assertEquals(count, Arrays.stream(plain).filter(id -> id == ids[0]).count(), special);
            });
            assertEquals(tok.bosId(), tok.encode("Hi", true, false)[0], "text without it still gets one");
        }
    }
}
