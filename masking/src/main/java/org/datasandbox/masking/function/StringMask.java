package org.datasandbox.masking.function;

/**
 * A mask of string columns: {@code null} stays {@code null} and the empty string stays empty, so that
 * each mask only decides what to do with a non-empty value.
 */
interface StringMask extends MaskingFunction {

    @Override
    default ValueType outputType(ValueType input) {
        Strings.requireString(name(), input);
        return ValueType.STRING;
    }

    @Override
    default Object mask(Object value) {
        if (value == null) {
            return null;
        }
        String text = (String) value;
        return text.isEmpty() ? text : maskText(text);
    }

    /** The masked form of a non-empty value. */
    String maskText(String value);
}
