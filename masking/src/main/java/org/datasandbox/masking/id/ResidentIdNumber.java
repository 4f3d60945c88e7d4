package org.datasandbox.masking.id;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The 18-character resident identity number of GB 11643-1999: a 6-digit administrative region code,
 * an 8-digit birth date, a 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check
 * character ({@code 0-9} or {@code X}).
 */
public final class ResidentIdNumber {
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    private ResidentIdNumber() {
    }

    /** The check character for the first 17 digits. */
    public static char checkCharacter(CharSequence first17) {
        if (first17.length() != 17) {
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
        for (int i = 0; i < 17; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        char last = Character.toUpperCase(value.charAt(17));
        return birthDate(value).isPresent() && last == checkCharacter(value.subSequence(0, 17));
    }

    /** The birth date encoded in positions 7 to 14, if it is a real date. */
    public static Optional<LocalDate> birthDate(String value) {
        if (value == null || value.length() < 14) {
            return Optional.empty();
        }
        try {
            int year = Integer.parseInt(value.substring(6, 10));
            int month = Integer.parseInt(value.substring(10, 12));
            int day = Integer.parseInt(value.substring(12, 14));
            return Optional.of(LocalDate.of(year, month, day));
        } catch (NumberFormatException | DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Builds a full number from its parts, computing the check character. */
    public static String of(String regionCode, LocalDate birthDate, int sequence) {
        if (regionCode.length() != 6 || sequence < 0 || sequence > 999) {
            throw new IllegalArgumentException("region code has 6 digits and sequence is 0..999");
        }
        String body = regionCode
                + String.format("%04d%02d%02d", birthDate.getYear(), birthDate.getMonthValue(), birthDate.getDayOfMonth())
                + String.format("%03d", sequence);
        return body + checkCharacter(body);
    }
}
