package org.datasandbox.core.sample;

import java.util.Locale;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;

/** Masked samples are real rows of a share of the people, masked; synthetic ones are drawn from a DP model. */
public enum SampleKind {
    MASKED,
    SYNTHETIC;

    /** Parses {@code masked} or {@code synthetic}; empty means masked. */
    public static SampleKind parse(String text) {
        if (text == null || text.isBlank()) {
            return MASKED;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SandboxException(ErrorCode.INVALID_ARGUMENT, "the sample kind must be masked or synthetic");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
