package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.id.ResidentIdNumber;

/**
 * Masks an 18-character resident ID number, keeping its region code and optionally its birth year:
 * {@code 420102199003071234} becomes {@code 420102************} or {@code 4201021990********}.
 * A value that is not a valid ID number is masked whole, so a typo cannot leak a real number.
 */
public record ResidentIdMask(Keep keep) implements MaskingFunction {
    private static final long serialVersionUID = 1L;
    private static final String MALFORMED = Strings.stars(18);

    /** What stays readable. */
    public enum Keep {
        NOTHING(0),
        REGION(6),
        REGION_AND_BIRTH_YEAR(10);

        private final int characters;
        private final String stars;

        Keep(int characters) {
            this.characters = characters;
            this.stars = Strings.stars(18 - characters);
        }
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
    public ValueType outputType(ValueType input) {
        Strings.requireString(name(), input);
        return ValueType.STRING;
    }

    @Override
    public Object mask(Object value) {
        if (value == null) {
            return null;
        }
        String id = (String) value;
        if (id.isEmpty()) {
            return id;
        }
        if (id.length() != 18) {
            return MALFORMED;
        }
        if (!ResidentIdNumber.isValid(id)) {
            return MALFORMED;
        }
        return keep.characters == 0 ? MALFORMED : id.substring(0, keep.characters).concat(keep.stars);
    }
}
