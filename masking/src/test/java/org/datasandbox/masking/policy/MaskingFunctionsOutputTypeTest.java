package org.datasandbox.masking.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.function.KeyedPseudonym;
import org.datasandbox.masking.function.ValueType;
import org.junit.jupiter.api.Test;

/**
 * The keyless check must agree with the functions themselves: for every function and every column type,
 * {@link MaskingFunctions#outputType} accepts exactly what a function built with a real key accepts,
 * and names the same output type.
 */
class MaskingFunctionsOutputTypeTest {
    private static final Map<String, Map<String, String>> PARAMS = Map.of(
            "top_bottom", Map.of("bottom", "0", "top", "100"),
            "round", Map.of("step", "5"),
            "noise", Map.of("bound", "3"));

    @Test
    void outputType_everyFunctionAndType_agreesWithTheBuiltFunction() {
        byte[] key = new byte[32];
        new Random(7).nextBytes(key);
        for (String name : MaskingFunctions.NAMES) {
            MaskingSpec spec = new MaskingSpec(name, PARAMS.getOrDefault(name, Map.of()));
            for (ValueType input : ValueType.values()) {
                for (KeyedPseudonym.Algorithm algorithm : KeyedPseudonym.Algorithm.values()) {
                    Optional<ValueType> built = typeOf(() -> MaskingFunctions.create(spec, key, algorithm).outputType(input));
                    Optional<ValueType> checked = typeOf(() -> MaskingFunctions.outputType(spec, input));
                    assertThat(checked).as(name + " on " + input).isEqualTo(built);
                }
            }
        }
    }

    @Test
    void outputType_invalidParameters_areRefusedAsByCreate() {
        assertThatThrownBy(() -> MaskingFunctions.outputType(MaskingSpec.of("noise", "bound", "-1"), ValueType.DOUBLE))
                .isInstanceOf(MaskingException.class).hasMessageContaining("bound must be > 0");
        assertThatThrownBy(() -> MaskingFunctions.outputType(MaskingSpec.of("ff1", "keep_prefix", "-2"), ValueType.STRING))
                .isInstanceOf(MaskingException.class).hasMessageContaining("keep_prefix must be >= 0");
        assertThatThrownBy(() -> MaskingFunctions.outputType(MaskingSpec.of("pseudonym", "salt", "x"), ValueType.STRING))
                .isInstanceOf(MaskingException.class).hasMessageContaining("has no parameter 'salt'; it takes prefix");
        assertThatThrownBy(() -> MaskingFunctions.outputType(MaskingSpec.of("blur", "radius", "2"), ValueType.STRING))
                .isInstanceOf(MaskingException.class).hasMessageContaining("unknown masking function 'blur'");
    }

    @Test
    void check_validParametersForAnyType_passesWithoutAKey() {
        MaskingFunctions.check(MaskingSpec.of("band", "width", "5"));
        MaskingFunctions.check(MaskingSpec.of("pseudonym", "prefix", "q_"));
        assertThatThrownBy(() -> MaskingFunctions.check(MaskingSpec.of("band", "width", "wide")))
                .isInstanceOf(MaskingException.class).hasMessageContaining("width must be an integer");
    }

    private interface TypeCall {
        ValueType call();
    }

    private static Optional<ValueType> typeOf(TypeCall call) {
        try {
            return Optional.of(call.call());
        } catch (MaskingException e) {
            return Optional.empty();
        }
    }
}
