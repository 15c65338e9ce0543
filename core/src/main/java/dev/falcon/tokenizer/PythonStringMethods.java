package dev.falcon.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.beans.FeatureDescriptor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * The Python {@code str} methods that Hugging Face chat templates call on message text ({@code
 * content.strip()}, {@code role.startswith('sys')}, ...), with Python's semantics: Jinja runs the
 * templates on Python strings, whose method names and whitespace differ from Java's. Any other method
 * call is left to the resolvers after this one.
 */
final class PythonStringMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
        if (!(base instanceof String s) || !(method instanceof String name)) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = call(s, name, args);
        if (result != null) {
            context.setPropertyResolved(true);
        }
        return result;
    }

    /** The method's result, or null when it is not one of the Python methods handled here. */
    private static Object call(String s, String name, Object[] args) {
        return switch (name) {
            case "strip" -> PythonWhitespace.strip(s, chars(args));
            case "lstrip" -> PythonWhitespace.lstrip(s, chars(args));
            case "rstrip" -> PythonWhitespace.rstrip(s, chars(args));
            case "startswith" -> args.length == 1 ? s.startsWith(String.valueOf(args[0])) : null;
            case "endswith" -> args.length == 1 ? s.endsWith(String.valueOf(args[0])) : null;
            case "upper" -> args.length == 0 ? s.toUpperCase(Locale.ROOT) : null;
            case "lower" -> args.length == 0 ? s.toLowerCase(Locale.ROOT) : null;
            case "split" -> args.length == 1 ? split(s, String.valueOf(args[0])) : null;
            default -> null;
        };
    }

    /** The characters to strip: Python whitespace (null) or the one string argument. */
    private static String chars(Object[] args) {
        return args.length == 0 || args[0] == null ? null : String.valueOf(args[0]);
    }

    /** Python's {@code s.split(sep)} with an explicit separator: every piece, empty ones included. */
    private static List<String> split(String s, String separator) {
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("split(): empty separator");
        }
        return Arrays.asList(s.split(Pattern.quote(separator), -1));
    }

    /** Jinja's {@code trim(chars=None)} filter: Python's {@code str.strip}, not Jinjava's Java trim. */
    static final class Trim implements Filter {

        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
            String chars = args.length == 0 ? null : args[0];
            return value == null ? null : PythonWhitespace.strip(value.toString(), chars);
        }
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // not a property resolver: left unresolved for the resolvers after this one
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
