package io.wschat.chat;

import java.util.List;
import java.util.Map;

/**
 * The one rule for every string that comes from outside, whatever the path (a {@code /chat}
 * frame, a handshake parameter, the HTTP API, a token claim): it must be text that can be
 * encoded as UTF-8 and stored by every supported database.
 *
 * <p>Refused, with {@code invalid_text}: an unpaired UTF-16 surrogate (a lone high or low one,
 * or a low one before a high one; what a client sends when it cuts an emoji in half through a
 * JSON {@code \ud83d} escape), which no UTF-8 encoder can write, and U+0000, which PostgreSQL
 * cannot store in text.
 *
 * <p>Accepted unchanged: every other Unicode scalar value, noncharacters (U+FFFE, U+FDD0…)
 * and control characters included. They encode, store and round-trip like any letter
 * (Unicode Corrigendum #9 allows noncharacters in interchange), and the server never
 * interprets text; where a field has a stricter shape (room ids, names) its own pattern
 * decides, after this rule.
 */
public final class TextRule {

    private static final char REPLACEMENT = '\uFFFD';

    private TextRule() {
    }

    /** Returns {@code value} (may be null), or throws {@code invalid_text} naming {@code field} and what is wrong. */
    public static String require(String field, String value) {
        if (value == null) {
            return null;
        }
        int bad = firstInvalid(value);
        if (bad >= 0) {
            throw new ProtocolException(ErrorCode.INVALID_TEXT, "'" + field + "' " + problemAt(value, bad));
        }
        return value;
    }

    /** Applies {@link #require} to every key and string inside a JSON value (maps, lists, strings). */
    public static void requireJson(String field, Object value) {
        if (value instanceof String s) {
            require(field, s);
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getKey() instanceof String key) {
                    require(field, key);
                }
                requireJson(field, entry.getValue());
            }
        } else if (value instanceof List<?> list) {
            for (Object element : list) {
                requireJson(field, element);
            }
        }
    }

    /** The index of the first char that breaks the rule, or -1 when the whole of {@code s} is acceptable. */
    static int firstInvalid(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '\0') {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code s} with every unpaired surrogate replaced by U+FFFD, as a UTF-8 decoder would show
     * it; {@code s} itself (null included) when it has none. For text that got in before this rule existed.
     */
    static String withoutUnpairedSurrogates(String s) {
        int first = s == null ? -1 : firstUnpairedSurrogate(s, 0);
        if (first < 0) {
            return s;
        }
        StringBuilder fixed = new StringBuilder(s.length());
        int from = 0;
        for (int bad = first; bad >= 0; bad = firstUnpairedSurrogate(s, from)) {
            fixed.append(s, from, bad).append(REPLACEMENT);
            from = bad + 1;
        }
        return fixed.append(s, from, s.length()).toString();
    }

    private static int firstUnpairedSurrogate(String s, int from) {
        for (int i = from, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else {
                return i;
            }
        }
        return -1;
    }

    private static String problemAt(String value, int index) {
        char c = value.charAt(index);
        String where = " at position " + index;
        if (c == '\0') {
            return "contains U+0000" + where + ", which cannot be stored";
        }
        return "contains the unpaired surrogate " + String.format("U+%04X", (int) c) + where
                + ": not valid Unicode text (half of a character that takes two UTF-16 units, such as an emoji)";
    }
}
