package dev.falcon.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The {@code tojson} filter as transformers defines it for chat templates: Python's {@code
 * json.dumps(x, ensure_ascii=False, indent=indent)}. Its separators are {@code ", "} and {@code ": "}
 * (with an indent, items end their line instead), maps keep their order and non-ASCII text is written
 * as is; Jinjava's own filter writes compact JSON, which would change the rendered prompt.
 */
final class PythonJson implements Filter {

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        return dumps(value, null);
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indent = kwargs.get("indent");
        return dumps(value, indent == null ? null : " ".repeat(((Number) indent).intValue()));
    }

    /** {@code json.dumps(value, ensure_ascii=False, indent=len(indent))}; no indent when it is null. */
    static String dumps(Object value, String indent) {
        StringBuilder out = new StringBuilder();
        write(value, indent, "", out);
        return out.toString();
    }

    private static void write(Object value, String indent, String margin, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof java.math.BigInteger) {
            out.append(value);
        } else if (value instanceof Number number) {
            out.append(pythonFloat(number.doubleValue()));
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map, indent, margin, out);
        } else if (value instanceof Collection<?> list) {
            writeList(list, indent, margin, out);
        } else {
            writeString(value.toString(), out);
        }
    }

    private static void writeMap(Map<?, ?> map, String indent, String margin, StringBuilder out) {
        writeItems('{', '}', map.entrySet(), indent, margin, out, (item, inner) -> {
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) item;
            writeString(String.valueOf(e.getKey()), out);
            out.append(": ");
            write(e.getValue(), indent, inner, out);
        });
    }

    private static void writeList(Collection<?> list, String indent, String margin, StringBuilder out) {
        writeItems('[', ']', list, indent, margin, out, (item, inner) -> write(item, indent, inner, out));
    }

    /** A container: items separated by ", ", or with an indent, each on its own line one level in. */
    private static void writeItems(char open, char close, Collection<?> items, String indent, String margin,
                                   StringBuilder out, BiConsumer<Object, String> item) {
        out.append(open);
        if (items.isEmpty()) {
            out.append(close);
            return;
        }
        String inner = indent == null ? margin : margin + indent;
        String separator = "";
        for (Object each : items) {
            out.append(separator);
            newLine(indent, inner, out);
            item.accept(each, inner);
            separator = indent == null ? ", " : ",";
        }
        newLine(indent, margin, out);
        out.append(close);
    }

    private static void newLine(String indent, String margin, StringBuilder out) {
        if (indent != null) {
            out.append('\n').append(margin);
        }
    }

    /** A JSON string as Python writes it with ensure_ascii=False: only quotes, backslashes and controls escaped. */
    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        out.append('"');
    }

    /** Python's {@code repr(float)}: shortest digits, exponent form below 1e-4 and from 1e16 on. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = exact.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d < 0 ? "-" : "") + mantissa + String.format(Locale.ROOT, "e%s%02d", exponent < 0 ? "-" : "+",
                Math.abs(exponent));
    }
}
