package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.id.MobileNumber;

/**
 * Masks a mainland mobile number as carriers print it: {@code 13812345678} becomes {@code 138****5678}.
 * Anything that is not a valid mobile number is masked whole.
 */
public record MobileMask() implements MaskingFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "mobile";
    }

    @Override
    public ValueType outputType(ValueType input) {
        if (input != ValueType.STRING) {
            throw new MaskingException("mobile applies to string columns, not " + input);
        }
        return ValueType.STRING;
    }

    @Override
    public Object mask(Object value) {
        if (value == null) {
            return null;
        }
        String phone = (String) value;
        if (phone.isEmpty()) {
            return phone;
        }
        if (!MobileNumber.isValid(phone)) {
            return "*".repeat(11);
        }
        return PartialMask.apply(phone, 3, 4, '*');
    }
}
