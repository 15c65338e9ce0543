package dev.falcon.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.falcon.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import jinjava.javax.el.CompositeELResolver;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;

/**
 * A chat model's prompt format: the Jinja {@code chat_template} of its tokenizer_config.json, rendered
 * as transformers' {@code apply_chat_template(messages, add_generation_prompt=True, tokenize=False)}
 * renders it. The text holds the special tokens as text ({@code <|begin_of_text|>}, {@code
 * <|im_start|>}); tokenizer.json's added tokens turn them back into their ids.
 *
 * <p>Jinja as transformers configures it: trim_blocks and lstrip_blocks, {@code bos_token} and
 * {@code eos_token} from the config, {@code raise_exception(msg)}, {@code strftime_now(format)}, a
 * {@code tojson} that writes what Python's json.dumps writes, and the Python string methods the
 * templates call ({@link PythonStringMethods}).
 *
 * <p>{@code strftime_now} is deterministic: it formats {@link #TODAY}, 26 July 2024, the date Llama
 * 3.x's own template falls back to when the function is missing. A prompt, and so every score, is
 * then the same on every day it is computed.
 */
public final class ChatTemplate {

    /** One turn of a conversation. */
    public record Message(String role, String content) {

        public static Message user(String content) {
            return new Message("user", content);
        }
    }

    /** The date strftime_now formats, at midnight. */
    public static final LocalDate TODAY = LocalDate.of(2024, 7, 26);

    private static final Jinjava JINJA = jinja();

    /** What a template printing a function itself gets, as Python would print it. */
    private static final String FUNCTION = "<function>";

    private final Path file;
    private final String template;
    private final String bosToken;
    private final String eosToken;

    private ChatTemplate(Path file, String template, String bosToken, String eosToken) {
        this.file = file;
        this.template = template;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    /**
     * The chat template beside a tokenizer: in tokenizer_config.json of the folder {@code tokenizer} is
     * or lies in. Empty when there is no such file, it has no chat_template (base models), or the tokenizer
     * is a llama2.c .bin.
     */
    public static Optional<ChatTemplate> find(Path tokenizer) {
        if (!Files.isDirectory(tokenizer) && !tokenizer.getFileName().toString().endsWith(".json")) {
            return Optional.empty();
        }
        Path folder = Files.isDirectory(tokenizer) ? tokenizer : tokenizer.toAbsolutePath().getParent();
        Path file = folder.resolve("tokenizer_config.json");
        JsonNode config = HfSpecialTokens.readOptional(file);
        return chosen(file, config.path("chat_template"))
                .map(text -> new ChatTemplate(file, text, token(file, config, "bos_token"),
                        token(file, config, "eos_token")));
    }

    /** A string, or transformers' list of {"name", "template"} of which the one named "default" is used. */
    private static Optional<String> chosen(Path file, JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(node.asText());
        }
        if (node.isArray()) {
            for (JsonNode named : node) {
                if (named.path("name").asText().equals("default") && named.path("template").isTextual()) {
                    return Optional.of(named.path("template").asText());
                }
            }
            throw new InputException(file, "chat_template lists no template named \"default\"");
        }
        throw new InputException(file, "chat_template is neither a string nor a list of named templates");
    }

    /** A special token's text: a string or an {"content": ...} object; empty when absent or null. */
    private static String token(Path file, JsonNode config, String field) {
        JsonNode token = HfSpecialTokens.tokenText(config, field);
        if (token.isMissingNode() || token.isNull()) {
            return "";
        }
        if (!token.isTextual()) {
            throw new InputException(file, field + " is neither a string nor an object with a \"content\" string");
        }
        return token.asText();
    }

    /** The file the template was read from. */
    public Path file() {
        return file;
    }

    /** The conversation as the model reads it, ending with the prompt for the assistant's answer. */
    public String render(List<Message> messages) {
        List<Map<String, Object>> turns = new ArrayList<>();
        for (Message m : messages) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", m.role());
            turn.put("content", m.content());
            turns.add(turn);
        }
        Map<String, Object> bindings = new LinkedHashMap<>();
        bindings.put("messages", turns);
        bindings.put("add_generation_prompt", true);
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);
        // Jinja's "is defined" sees transformers' global functions; Jinjava's functions are not variables.
        bindings.put("raise_exception", FUNCTION);
        bindings.put("strftime_now", FUNCTION);
        RenderResult result = JINJA.renderForResult(template, bindings);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new InputException(file, "chat_template: " + message(error));
            }
        }
        return result.getOutput();
    }

    /** The message raise_exception gave, else Jinjava's own. */
    private static String message(TemplateError error) {
        for (Throwable t = error.getException(); t != null; t = t.getCause()) {
            if (t instanceof TemplateRaised raised) {
                return raised.getMessage();
            }
        }
        return error.getMessage();
    }

    /** What a template's {@code raise_exception(msg)} throws. */
    private static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message);
        }
    }

    /** raise_exception(msg), called by templates on conversations they cannot format. */
    public static Object raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** strftime_now(format): {@link #TODAY} at midnight in Python's strftime format. */
    public static String strftimeNow(String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            out.append(directive(format.charAt(++i)));
        }
        return out.toString();
    }

    /** One strftime directive, in the C locale as Python's default. */
    private static String directive(char d) {
        String pattern = switch (d) {
            case 'd' -> "dd";
            case 'm' -> "MM";
            case 'Y' -> "yyyy";
            case 'y' -> "yy";
            case 'b' -> "MMM";
            case 'B' -> "MMMM";
            case 'a' -> "EEE";
            case 'A' -> "EEEE";
            case 'j' -> "DDD";
            case 'H', 'M', 'S' -> "00";
            case '%' -> "%";
            default -> throw new TemplateRaised("strftime_now: unsupported directive %" + d);
        };
        return pattern.equals("00") || pattern.equals("%") ? pattern
                : TODAY.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH));
    }

    private static Jinjava jinja() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        // Jinja2's parsing (strict whitespace control, operator precedence), not Jinjava's legacy one.
        Jinjava jinja = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder().withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true).withUseNaturalOperatorPrecedence(true)
                        .withKeepNullableLoopValues(true).build())
                .build());
        jinja.getGlobalContext().registerFilter(new PythonJson());
        jinja.getGlobalContext().registerFilter(new PythonStringMethods.Trim());
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                ChatTemplate.class, "strftimeNow", String.class));
        return jinja;
    }
}
