package org.datasandbox.masking.function;

import java.nio.charset.StandardCharsets;
import org.datasandbox.masking.id.MobileNumber;

/**
 * Masks a mainland mobile number as carriers print it: {@code 13812345678} becomes {@code 138****5678}.
 * Anything that is not a valid mobile number is masked whole.
 */
public record MobileMask() implements StringMask {
    private static final long serialVersionUID = 1L;
    private static final String MALFORMED = Strings.stars(11);

    @Override
    public String name() {
        return "mobile";
    }

    @Override
    public String maskText(String phone) {
        if (!MobileNumber.isValid(phone)) {
            return MALFORMED;
        }
        byte[] bytes = phone.getBytes(StandardCharsets.ISO_8859_1); // digits only: one copy, masked in place
        bytes[3] = '*';
        bytes[4] = '*';
        bytes[5] = '*';
        bytes[6] = '*';
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
