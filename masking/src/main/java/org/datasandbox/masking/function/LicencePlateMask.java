package org.datasandbox.masking.function;

import org.datasandbox.masking.id.LicencePlate;

/**
 * Keeps the province and city of a vehicle plate: {@code 鄂A12345} becomes {@code 鄂A*****}. Anything
 * that is not a plate is redacted.
 */
public record LicencePlateMask() implements MaskingFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "licence_plate";
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
        String plate = ((String) value).strip();
        if (plate.isEmpty()) {
            return plate;
        }
        return LicencePlate.isValid(plate) ? Strings.maskRange(plate, 2, plate.length()) : "***";
    }
}
