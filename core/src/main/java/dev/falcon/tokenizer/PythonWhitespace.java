package dev.falcon.tokenizer;

/**
 * Whitespace exactly as Python's {@code str.isspace()} and the {@code \s} of {@code re} define it.
 * The reference tools (lm-eval templates, its word counts) run on Python, and Java's
 * {@link Character#isWhitespace} disagrees on no-break spaces, U+0085 and the U+001C..U+001F
 * separators.
 */
public final class PythonWhitespace {

    private PythonWhitespace() {
    }

    /** True for the 29 code points Python 3 treats as whitespace. */
    public static boolean isSpace(int codePoint) {
        if (codePoint <= 0x20) {
            return (codePoint >= 0x09 && codePoint <= 0x0D) || (codePoint >= 0x1C && codePoint <= 0x20);
        }
        return codePoint == 0x85 || codePoint == 0xA0 || codePoint == 0x1680
                || (codePoint >= 0x2000 && codePoint <= 0x200A)
                || codePoint == 0x2028 || codePoint == 0x2029 || codePoint == 0x202F
                || codePoint == 0x205F || codePoint == 0x3000;
    }

    /** Python's {@code s.strip()}: removes leading and trailing whitespace. */
    public static String strip(String s) {
        return strip(s, null);
    }

    /** Python's {@code s.strip(chars)}: removes characters of {@code chars}, or whitespace when it is null, at both ends. */
    public static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    /** Python's {@code s.lstrip(chars)}: removes leading characters of {@code chars}, or whitespace when it is null. */
    public static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length() && stripped(s.codePointAt(start), chars)) {
            start += Character.charCount(s.codePointAt(start));
        }
        return s.substring(start);
    }

    /** Python's {@code s.rstrip(chars)}: removes trailing characters of {@code chars}, or whitespace when it is null. */
    public static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && stripped(s.codePointBefore(end), chars)) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(0, end);
    }

    private static boolean stripped(int codePoint, String chars) {
        return chars == null ? isSpace(codePoint) : chars.indexOf(codePoint) >= 0;
    }
}
