package dev.falcon.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.ByteTokenizer;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqItem;
import dev.falcon.data.McqPrompt;
import dev.falcon.model.LlamaModel;
import dev.falcon.tokenizer.ChatTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scorer with a chat template asks every question as a chat, in every form and through every derived scorer. */
class McqEvaluatorChatTest {

    @Test
    void questionsGoThroughTheScorersChatTemplate(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% for m in messages %}"
                + "[{{ m.role }}] {{ m.content }}\\n{% endfor %}[assistant] \"}");
        ChatTemplate template = ChatTemplate.find(dir).orElseThrow();
        List<McqItem> items = List.of(item(0, "Which is first?", 2), item(1, "Which is last?", 0));
        McqDataset data = new McqDataset("toy", items, List.of());
        LlamaModel model = TinyModels.random(256, 7);
        LogLikelihood plain = new LogLikelihood(model, new ByteTokenizer(), false, 4);
        LogLikelihood chat = plain.withChatTemplate(Optional.of(template));

        McqResult expected = new McqEvaluator(plain).evaluate(data, item -> McqPrompt.lettered(item).inChat(template));
        McqResult got = new McqEvaluator(chat).evaluate(data, false);
        McqResult gotThroughCopy = new McqEvaluator(chat.withModel(model).withReadout(
                LogLikelihood.Readout.output())).evaluate(data, false);
        McqResult unwrapped = new McqEvaluator(plain).evaluate(data, false);
        for (int i = 0; i < items.size(); i++) {
            double[] want = lls(expected, i);
            assertArrayEquals(want, lls(got, i), 1e-6);
            assertArrayEquals(want, lls(gotThroughCopy, i), 1e-6);
            assertTrue(Math.abs(want[0] - lls(unwrapped, i)[0]) > 1e-3, "the chat prompt changes the scores");
        }
    }

    private static double[] lls(McqResult r, int sample) {
        return r.samples().get(sample).lettered().loglikelihoods();
    }

    private static McqItem item(int index, String question, int answer) {
        return new McqItem(index, question, List.of("red", "green", "blue", "grey"), answer, "colours",
                Path.of("toy.jsonl"), index + 1);
    }
}
