package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;

/**
 * Keeps the first {@code keepPrefix} and last {@code keepSuffix} characters (code points) and replaces
 * the rest with {@code maskChar}, keeping the length. A value too short to hide anything is fully masked.
 */
public record PartialMask(int keepPrefix, int keepSuffix, int maskChar) implements MaskingFunction {
    private static final long serialVersionUID = 1L;

    public PartialMask {
        if (keepPrefix < 0 || keepSuffix < 0) {
            throw new MaskingException("partial: keep_prefix and keep_suffix must be >= 0");
        }
    }

    public PartialMask(int keepPrefix, int keepSuffix) {
        this(keepPrefix, keepSuffix, '*');
    }

    @Override
    public String name() {
        return "partial";
    }

    @Override
    public ValueType outputType(ValueType input) {
        Strings.requireString(name(), input);
        return ValueType.STRING;
    }

    @Override
    public Object mask(Object value) {
        if (value == null) {
            return null;
        }
        return apply((String) value, keepPrefix, keepSuffix, maskChar);
    }

    /** Shared by the format-specific masks: keeps prefix and suffix code points, masks the middle. */
    static String apply(String s, int prefix, int suffix, int maskChar) {
        if (s.isEmpty()) {
            return s;
        }
        if (maskChar < Character.MIN_SUPPLEMENTARY_CODE_POINT && !hasSurrogates(s)) {
            // the common case: one char per code point, masked in place
            boolean tooShort = prefix + suffix >= s.length();
            char[] chars = s.toCharArray();
            for (int i = tooShort ? 0 : prefix; i < (tooShort ? chars.length : chars.length - suffix); i++) {
                chars[i] = (char) maskChar;
            }
            return new String(chars);
        }
        int length = s.codePointCount(0, s.length());
        // A value that would come out whole is hidden whole.
        boolean tooShort = prefix + suffix >= length;
        int keepHead = tooShort ? 0 : prefix;
        int keepTail = tooShort ? 0 : suffix;
        StringBuilder out = new StringBuilder(s.length());
        int index = 0;
        for (int offset = 0; offset < s.length(); index++) {
            int cp = s.codePointAt(offset);
            boolean keep = index < keepHead || index >= length - keepTail;
            out.appendCodePoint(keep ? cp : maskChar);
            offset += Character.charCount(cp);
        }
        return out.toString();
    }

    private static boolean hasSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
