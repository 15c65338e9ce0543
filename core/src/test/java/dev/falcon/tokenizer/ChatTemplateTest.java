package dev.falcon.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates written here, rendered against outputs worked out by hand from Jinja's and Python's rules. */
class ChatTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ChatTemplate template(String text) throws IOException {
        ObjectNode config = JSON.createObjectNode().put("chat_template", text).put("bos_token", "<s>");
        config.putObject("eos_token").put("content", "</s>").put("special", true);
        return write(config).orElseThrow();
    }

    private java.util.Optional<ChatTemplate> write(ObjectNode config) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), config.toString());
        return ChatTemplate.find(dir.resolve("tokenizer.json"));
    }

    private static String render(ChatTemplate t, String... userMessages) {
        return t.render(java.util.Arrays.stream(userMessages).map(ChatTemplate.Message::user).toList());
    }

    @Test
    void specialTokensAsStringOrContentObjectAndTheGenerationPrompt() throws IOException {
        ChatTemplate t = template("{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m['content'] }}{{ eos_token }}"
                + "{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}");
        assertEquals("<s>[user]hi</s>[assistant]", render(t, "hi"));
    }

    @Test
    void trimBlocksLstripBlocksAndWhitespaceControlAsTransformersConfiguresJinja() throws IOException {
        // trim_blocks drops the newline after a block tag, lstrip_blocks the indent before it; {{- strips
        // everything before the expression; the newline after an expression stays.
        ChatTemplate t = template("{% for m in messages %}\n    {% if loop.last %}\n{{ m.content }}\n{% endif %}\n"
                + "{% endfor %}  \n  {{- '|' }}");
        assertEquals("b\n|", render(t, "a", "b"));
    }

    @Test
    void pythonStringMethodsUsePythonWhitespace() throws IOException {
        ChatTemplate t = template("{% set c = messages[0].content %}[{{ c.strip() }}][{{ c|trim }}]"
                + "[{{ c.strip().startswith('a') }}][{{ c.strip().endswith('z') }}][{{ 'xxaxx'.strip('x') }}]"
                + "[{{ 'xxa'.lstrip('x') }}][{{ 'axx'.rstrip('x') }}][{{ 'a,b,,c'.split(',')|length }}]"
                + "[{{ 'Ab'.upper() }}{{ 'Ab'.lower() }}]");
        // U+00A0 and U+2003 are whitespace to Python's str.strip(); U+200B is not.
        assertEquals("[a b][a b][true][false][a][a][a][4][ABab]", render(t, "\u00a0 a b\u2003\n"));
        assertEquals("[\u200ba][\u200ba][false][false][a][a][a][4][ABab]", render(t, "\u200ba"));
    }

    @Test
    void namespaceAndLoopVariables() throws IOException {
        ChatTemplate t = template("{% set ns = namespace(n=0, last='') %}{% for m in messages %}"
                + "{% set ns.n = ns.n + 1 %}{% if loop.last %}{% set ns.last = m.content %}{% endif %}"
                + "{{ loop.index0 }}{% endfor %}:{{ ns.n }}:{{ ns.last }}:{{ messages[1:]|length }}");
        assertEquals("012:3:c:2", render(t, "a", "b", "c"));
    }

    @Test
    void toJsonWritesWhatPythonJsonDumpsWrites() throws IOException {
        ChatTemplate t = template("{{ messages[0]|tojson }}|{{ messages|tojson(indent=2) }}");
        // json.dumps({"role": "user", "content": 'é"\\\n\x01'}, ensure_ascii=False)
        String one = "{\"role\": \"user\", \"content\": \"é\\\"\\\\\\n\\u0001\"}";
        String indented = "[\n  {\n    \"role\": \"user\",\n    \"content\": \"é\\\"\\\\\\n\\u0001\"\n  }\n]";
        assertEquals(one + "|" + indented, render(t, "é\"\\\n\u0001"));
    }

    @Test
    void floatsAsPythonReprWritesThem() {
        assertEquals("1e+16", PythonJson.pythonFloat(1e16));
        assertEquals("1234567890123456.0", PythonJson.pythonFloat(1234567890123456.0));
        assertEquals("0.0001", PythonJson.pythonFloat(1e-4));
        assertEquals("1.5e-05", PythonJson.pythonFloat(1.5e-5));
        assertEquals("-0.0", PythonJson.pythonFloat(-0.0));
        assertEquals("0.1", PythonJson.pythonFloat(0.1));
        assertEquals("[1, 2.5, true, null, {}, []]",
                PythonJson.dumps(java.util.Arrays.asList(1, 2.5, true, null, java.util.Map.of(), List.of()), null));
    }

    @Test
    void strftimeNowFormatsTheFixedDate() throws IOException {
        ChatTemplate t = template("{% if strftime_now is defined %}{{ strftime_now('%d %b %Y|%Y-%m-%d %A %a %B %j %H:%M %%') }}"
                + "{% else %}undefined{% endif %}");
        // 26 July 2024 was a Friday, day 208 of a leap year (31 + 29 + 31 + 30 + 31 + 30 + 26).
        assertEquals("26 Jul 2024|2024-07-26 Friday Fri July 208 00:00 %", render(t, "x"));
    }

    @Test
    void raiseExceptionNamesTheFileAndTheTemplatesMessage() throws IOException {
        ChatTemplate t = template("{% if messages[0].role != 'system' %}{{ raise_exception('Conversation must start"
                + " with a system message') }}{% endif %}ok");
        InputException e = assertThrows(InputException.class, () -> render(t, "x"));
        assertEquals(dir.resolve("tokenizer_config.json") + ": chat_template: Conversation must start with a system "
                + "message", e.getMessage());
        assertEquals("ok", t.render(List.of(new ChatTemplate.Message("system", "s"))));
    }

    @Test
    void theListFormUsesTheTemplateNamedDefault() throws IOException {
        ObjectNode config = JSON.createObjectNode();
        config.putArray("chat_template").add(JSON.createObjectNode().put("name", "tool_use").put("template", "T"))
                .add(JSON.createObjectNode().put("name", "default").put("template", "D{{ messages|length }}"));
        assertEquals("D1", render(write(config).orElseThrow(), "x"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) config.get("chat_template")).remove(1);
        InputException e = assertThrows(InputException.class, () -> write(config));
        assertTrue(e.getMessage().endsWith("chat_template lists no template named \"default\""), e.getMessage());
    }

    @Test
    void noTemplateWithoutChatTemplateOrConfig() throws IOException {
        assertTrue(ChatTemplate.find(dir).isEmpty(), "no tokenizer_config.json");
        assertTrue(write(JSON.createObjectNode().put("bos_token", "<s>")).isEmpty(), "no chat_template");
        assertTrue(write(JSON.createObjectNode().putNull("chat_template")).isEmpty(), "null chat_template");
        assertThrows(InputException.class, () -> write(JSON.createObjectNode().put("chat_template", 3)));
    }
}
