package org.datasandbox.masking.function;

import org.datasandbox.masking.id.LicencePlate;

/**
 * Keeps the province and city of a vehicle plate: {@code 鄂A12345} becomes {@code 鄂A*****}. Anything
 * that is not a plate is redacted.
 */
public record LicencePlateMask() implements StringMask {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "licence_plate";
    }

    @Override
    public String maskText(String value) {
        String plate = value.strip();
        if (plate.isEmpty()) {
            return plate;
        }
        return LicencePlate.isValid(plate) ? Strings.maskRange(plate, 2, plate.length()) : "***";
    }
}
