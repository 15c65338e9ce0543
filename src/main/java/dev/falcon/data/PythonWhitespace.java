package dev.falcon.data;

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
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }
}
