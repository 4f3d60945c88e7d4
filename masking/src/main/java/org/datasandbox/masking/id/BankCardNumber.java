package org.datasandbox.masking.id;

/** Payment card numbers: 12 to 19 digits whose last digit is the Luhn (ISO/IEC 7812) check digit. */
public final class BankCardNumber {
    private BankCardNumber() {
    }

    public static boolean isValid(String value) {
        if (value == null || value.length() < 12 || value.length() > 19) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return luhnSum(value, value.length()) % 10 == 0;
    }

    /** The check digit that makes {@code body + digit} pass the Luhn test. */
    public static char checkDigit(CharSequence body) {
        int sum = 0;
        for (int i = body.length() - 1, position = 0; i >= 0; i--, position++) {
            int d = body.charAt(i) - '0';
            if (position % 2 == 0) { // doubled once the check digit is appended
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    private static int luhnSum(String value, int length) {
        int sum = 0;
        for (int i = length - 1, position = 0; i >= 0; i--, position++) {
            int d = value.charAt(i) - '0';
            if (position % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum;
    }
}
