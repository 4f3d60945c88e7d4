package org.datasandbox.masking.id;

import java.time.LocalDate;
import java.util.Optional;

/**
 * The 18-character resident identity number of GB 11643-1999: a 6-digit administrative region code,
 * an 8-digit birth date, a 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check
 * character ({@code 0-9} or {@code X}). Validation runs on characters only: it is on the masking path.
 */
public final class ResidentIdNumber {
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private ResidentIdNumber() {
    }

    /** The check character for the first 17 digits. */
    public static char checkCharacter(CharSequence first17) {
        if (first17.length() < 17) {
            throw new IllegalArgumentException("a resident ID body has 17 digits");
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            char c = first17.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("a resident ID body has only digits");
            }
            sum += (c - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /** True when the value has the right shape, a real birth date and a matching check character. */
    public static boolean isValid(String value) {
        if (value == null || value.length() != 18) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int d = value.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            sum += d * WEIGHTS[i];
        }
        char last = value.charAt(17);
        char check = CHECK[sum % 11];
        return (last == check || check == 'X' && last == 'x')
                && isDate(number(value, 6, 4), number(value, 10, 2), number(value, 12, 2));
    }

    /** The birth date encoded in positions 7 to 14, if it is a real date. */
    public static Optional<LocalDate> birthDate(String value) {
        if (value == null || value.length() < 14) {
            return Optional.empty();
        }
        for (int i = 6; i < 14; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        int year = number(value, 6, 4);
        int month = number(value, 10, 2);
        int day = number(value, 12, 2);
        return isDate(year, month, day) ? Optional.of(LocalDate.of(year, month, day)) : Optional.empty();
    }

    /** Builds a full number from its parts, computing the check character. */
    public static String of(String regionCode, LocalDate birthDate, int sequence) {
        if (regionCode.length() != 6 || sequence < 0 || sequence > 999) {
            throw new IllegalArgumentException("region code has 6 digits and sequence is 0..999");
        }
        StringBuilder body = new StringBuilder(18).append(regionCode);
        appendDigits(body, birthDate.getYear(), 4);
        appendDigits(body, birthDate.getMonthValue(), 2);
        appendDigits(body, birthDate.getDayOfMonth(), 2);
        appendDigits(body, sequence, 3);
        return body.append(checkCharacter(body)).toString();
    }

    private static void appendDigits(StringBuilder out, int value, int width) {
        for (int divisor = (int) Math.pow(10, width - 1); divisor > 0; divisor /= 10) {
            out.append((char) ('0' + value / divisor % 10));
        }
    }

    private static int number(String s, int from, int length) {
        int n = 0;
        for (int i = from; i < from + length; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }

    private static boolean isDate(int year, int month, int day) {
        if (year < 1800 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        int days = month == 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
        return day <= days;
    }
}
