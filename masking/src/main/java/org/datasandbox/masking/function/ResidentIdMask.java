package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.id.ResidentIdNumber;

/**
 * Masks an 18-character resident ID number, keeping its region code and optionally its birth year:
 * {@code 420102199003071234} becomes {@code 420102************} or {@code 4201021990********}.
 * A value that is not a valid ID number is masked whole, so a typo cannot leak a real number.
 */
public record ResidentIdMask(Keep keep) implements StringMask {
    private static final long serialVersionUID = 1L;
    private static final String MALFORMED = Strings.stars(18);

    /** What stays readable. */
    public enum Keep {
        NOTHING(0),
        REGION(6),
        REGION_AND_BIRTH_YEAR(10);

        private final int characters;
        private final String stars;
        // Region codes and birth years repeat across rows: each masked output is built once and reused.
        // Entries are immutable, so a race between Spark task threads only costs a rebuild.
        private final Masked[] recent = new Masked[4096];

        Keep(int characters) {
            this.characters = characters;
            this.stars = Strings.stars(18 - characters);
        }

        /** The masked form of a valid ID number: its first {@code characters} digits, then stars. */
        private String masked(String id) {
            long kept = 0;
            for (int i = 0; i < characters; i++) {
                kept = kept * 10 + (id.charAt(i) - '0');
            }
            int slot = (int) (kept ^ kept >>> 12 ^ kept >>> 24) & (recent.length - 1);
            Masked hit = recent[slot];
            if (hit != null && hit.kept == kept) {
                return hit.value;
            }
            String value = id.substring(0, characters).concat(stars);
            recent[slot] = new Masked(kept, value);
            return value;
        }
    }

    private record Masked(long kept, String value) {
    }

    public ResidentIdMask {
        if (keep == null) {
            throw new MaskingException("resident_id: keep must be one of region, region_and_birth_year, nothing");
        }
    }

    @Override
    public String name() {
        return "resident_id";
    }

    @Override
    public String maskText(String id) {
        if (id.length() != 18) {
            return MALFORMED;
        }
        if (!ResidentIdNumber.isValid(id)) {
            return MALFORMED;
        }
        return keep.characters == 0 ? MALFORMED : keep.masked(id);
    }
}
