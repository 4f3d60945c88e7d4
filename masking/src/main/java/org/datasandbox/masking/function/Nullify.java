package org.datasandbox.masking.function;

/** Drops the value entirely; works for every type. */
public record Nullify() implements MaskingFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "nullify";
    }

    @Override
    public ValueType outputType(ValueType input) {
        return input;
    }

    @Override
    public Object mask(Object value) {
        return null;
    }
}
