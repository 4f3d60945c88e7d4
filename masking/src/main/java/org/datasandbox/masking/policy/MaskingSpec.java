package org.datasandbox.masking.policy;

import java.util.Map;
import org.datasandbox.masking.MaskingException;

/** A masking function by name with its parameters, as written in a policy file. */
public record MaskingSpec(String function, Map<String, String> params) {

    public MaskingSpec {
        if (function == null || function.isBlank()) {
            throw new MaskingException("a masking spec needs a function name");
        }
        params = Map.copyOf(params == null ? Map.of() : params);
    }

    public static MaskingSpec of(String function) {
        return new MaskingSpec(function, Map.of());
    }

    public static MaskingSpec of(String function, String param, String value) {
        return new MaskingSpec(function, Map.of(param, value));
    }

    String param(String name, String defaultValue) {
        return params.getOrDefault(name, defaultValue);
    }
}
