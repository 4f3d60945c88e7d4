package org.datasandbox.masking.function;

/** Leaves the value as it is: for dimensions and measures a policy declares safe to show in samples. */
public record Keep() implements MaskingFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "keep";
    }

    @Override
    public ValueType outputType(ValueType input) {
        return input;
    }

    @Override
    public Object mask(Object value) {
        return value;
    }
}
