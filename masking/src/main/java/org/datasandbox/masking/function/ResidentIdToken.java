package org.datasandbox.masking.function;

import java.time.LocalDate;
import org.datasandbox.masking.id.ResidentIdNumber;

/**
 * A format-preserving token for a resident ID number: same region code, birth year and sex, a keyed
 * day of that year and sequence number, and a valid check character. Equal numbers get equal tokens
 * (joins work) and the token passes every format check a program would apply, but it names nobody.
 */
public final class ResidentIdToken implements StringMask {
    private static final long serialVersionUID = 1L;
    private static final String MALFORMED = Strings.stars(18);

    private final KeyedHash hash;

    public ResidentIdToken(byte[] key, KeyedPseudonym.Algorithm algorithm) {
        this.hash = new KeyedHash(key, algorithm);
    }

    @Override
    public String name() {
        return "resident_id_token";
    }

    @Override
    public String maskText(String id) {
        if (!ResidentIdNumber.isValid(id)) {
            return MALFORMED;
        }
        int[] d = hash.digits("resident_id", id.toUpperCase(java.util.Locale.ROOT), 6);
        LocalDate birth = ResidentIdNumber.birthDate(id).orElseThrow();
        int dayOfYear = 1 + (d[0] * 100 + d[1] * 10 + d[2]) % birth.lengthOfYear();
        int sex = (id.charAt(16) - '0') % 2;
        int sequence = ((d[3] * 100 + d[4] * 10 + d[5]) / 2) * 2 + sex; // keeps the parity, hence the sex
        return ResidentIdNumber.of(id.substring(0, 6), LocalDate.ofYearDay(birth.getYear(), dayOfYear), sequence % 1000);
    }
}
