package org.datasandbox.masking.id;

import java.util.regex.Pattern;

/**
 * Mainland vehicle plates: a province character, a letter for the issuing city, then five characters
 * (six for new-energy vehicles) of capitals and digits, e.g. {@code 鄂A12345}, {@code 鄂AD12345}.
 */
public final class LicencePlate {
    private static final Pattern PLATE = Pattern.compile(
            "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]");

    private LicencePlate() {
    }

    public static boolean isValid(String value) {
        return value != null && PLATE.matcher(value).matches();
    }
}
