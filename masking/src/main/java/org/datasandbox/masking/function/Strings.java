package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;

/** Shared helpers of the string masks. */
final class Strings {
    private Strings() {
    }

    static void requireString(String function, ValueType input) {
        if (input != ValueType.STRING) {
            throw new MaskingException(function + " applies to string columns, not " + input);
        }
    }

    /** {@code s} with characters {@code [from, to)} replaced by '*'; for values known to be BMP-only. */
    static String maskRange(String s, int from, int to) {
        char[] chars = s.toCharArray();
        for (int i = from; i < to; i++) {
            chars[i] = '*';
        }
        return new String(chars);
    }

    private static final String[] STARS = new String[33];

    static {
        for (int i = 0; i < STARS.length; i++) {
            STARS[i] = "*".repeat(i);
        }
    }

    static String stars(int count) {
        return count < STARS.length ? STARS[count] : "*".repeat(count);
    }

}
