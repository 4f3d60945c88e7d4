package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;

/** Replaces every non-null string with a fixed marker, so that only presence remains. */
public record Redact(String marker) implements MaskingFunction {
    private static final long serialVersionUID = 1L;

    public Redact {
        if (marker == null) {
            throw new MaskingException("redact: marker must not be null");
        }
    }

    public static Redact standard() {
        return new Redact("***");
    }

    @Override
    public String name() {
        return "redact";
    }

    @Override
    public ValueType outputType(ValueType input) {
        if (input != ValueType.STRING) {
            throw new MaskingException("redact applies to string columns, not " + input + "; use nullify");
        }
        return ValueType.STRING;
    }

    @Override
    public Object mask(Object value) {
        return value == null ? null : marker;
    }
}
