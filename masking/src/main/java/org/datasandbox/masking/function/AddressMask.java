package org.datasandbox.masking.function;

/**
 * Truncates a Chinese address to its district: {@code 湖北省武汉市洪山区珞喻路123号} becomes
 * {@code 湖北省武汉市洪山区}. The cut is after the first county-level unit (区, 县, 旗, or a 市 that follows
 * another 市); an address without one keeps nothing and is redacted.
 */
public record AddressMask() implements StringMask {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "address";
    }

    @Override
    public String maskText(String value) {
        String address = value.strip();
        if (address.isEmpty()) {
            return address;
        }
        int cities = 0;
        for (int i = 0; i < address.length() && i < 32; i++) {
            char c = address.charAt(i);
            if (c == '区' || c == '县' || c == '旗' || c == '市' && cities++ >= 1) {
                return address.substring(0, i + 1);
            }
        }
        return "***";
    }
}
