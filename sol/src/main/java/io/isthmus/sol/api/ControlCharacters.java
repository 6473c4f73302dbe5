package io.isthmus.sol.api;

/**
 * The control characters no request may carry (C0 and DEL: PostgreSQL refuses NUL in text and jsonb, and nobody needs
 * the others), found the same way in URIs, filters and JSON strings.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /**
     * Where the first control character of {@code s} is, or -1; with {@code textWhitespace} tab, line feed and carriage
     * return pass (they belong in free text, not in identifiers or URIs).
     */
    public static int find(String s, boolean textWhitespace) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && !(textWhitespace && (c == '\t' || c == '\n' || c == '\r'))) || c == 0x7f) {
                return i;
            }
        }
        return -1;
    }

    /** {@code c} as a client reads it in a refusal: {@code U+0000}. */
    public static String name(char c) {
        return String.format("U+%04X", (int) c);
    }
}
