package org.datasandbox.masking.policy;

import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.function.AddressMask;
import org.datasandbox.masking.function.BankCardMask;
import org.datasandbox.masking.function.ChineseNameMask;
import org.datasandbox.masking.function.EmailMask;
import org.datasandbox.masking.function.Ff1Mask;
import org.datasandbox.masking.function.KeyedNoise;
import org.datasandbox.masking.function.LicencePlateMask;
import org.datasandbox.masking.function.ResidentIdToken;
import org.datasandbox.masking.function.RoundTo;
import org.datasandbox.masking.function.SocialCreditCodeMask;
import org.datasandbox.masking.function.TopBottomCoding;
import org.datasandbox.masking.function.DateTruncate;
import org.datasandbox.masking.function.Keep;
import org.datasandbox.masking.function.KeyedPseudonym;
import org.datasandbox.masking.function.MaskingFunction;
import org.datasandbox.masking.function.MobileMask;
import org.datasandbox.masking.function.NumberBand;
import org.datasandbox.masking.function.Nullify;
import org.datasandbox.masking.function.PartialMask;
import org.datasandbox.masking.function.Redact;
import org.datasandbox.masking.function.ResidentIdMask;
import org.datasandbox.masking.function.ValueType;

/** Builds masking functions from specs; the one place that knows every function's name and parameters. */
public final class MaskingFunctions {

    /** Every function name a policy may use. */
    public static final Set<String> NAMES = Set.of(
            "keep", "redact", "nullify", "partial", "resident_id", "resident_id_token", "mobile", "chinese_name",
            "address", "bank_card", "social_credit_code", "email", "licence_plate", "ff1",
            "date_truncate", "band", "top_bottom", "round", "noise", "pseudonym");

    private MaskingFunctions() {
    }

    /**
     * Builds the function a spec names.
     *
     * @param pseudonymKey the key of keyed functions (pseudonyms, tokens, FF1, noise), chosen by the caller
     *     per scenario; at least 16 bytes (FF1: 16 or 32)
     * @param algorithm the HMAC hash of the active crypto profile
     */
    public static MaskingFunction create(MaskingSpec spec, byte[] pseudonymKey, KeyedPseudonym.Algorithm algorithm) {
        String name = checkParameters(spec);
        return switch (name) {
            case "pseudonym" -> new KeyedPseudonym(pseudonymKey, algorithm, spec.param("prefix", "p_"));
            case "resident_id_token" -> new ResidentIdToken(pseudonymKey, algorithm);
            case "bank_card" -> new BankCardMask(pseudonymKey, algorithm);
            case "social_credit_code" -> new SocialCreditCodeMask(pseudonymKey, algorithm);
            case "ff1" -> new Ff1Mask(pseudonymKey, algorithm, integer(spec, "keep_prefix", 0), spec.param("tweak", ""));
            case "noise" -> new KeyedNoise(pseudonymKey, algorithm, decimal(spec, "bound"));
            default -> keyless(name, spec);
        };
    }

    /**
     * The type a spec produces for a column of {@code input} type: checks the function, its parameters and
     * the column type the way {@link #create} does, without any key, so that a policy can be validated
     * before (and apart from) the keys of its scenarios.
     *
     * @throws MaskingException if the spec is invalid or does not apply to the column type
     */
    public static ValueType outputType(MaskingSpec spec, ValueType input) {
        return outputRule(spec).apply(input);
    }

    /**
     * Checks a spec's function and parameters, for any column type, without any key.
     *
     * @throws MaskingException if the function is unknown or a parameter is unknown or invalid
     */
    public static void check(MaskingSpec spec) {
        outputRule(spec);
    }

    /** The spec's type rule, once its parameters are checked. */
    private static UnaryOperator<ValueType> outputRule(MaskingSpec spec) {
        String name = checkParameters(spec);
        return switch (name) {
            case "pseudonym" -> KeyedPseudonym::outputTypeOf;
            case "resident_id_token", "bank_card", "social_credit_code", "ff1" -> {
                if (name.equals("ff1") && integer(spec, "keep_prefix", 0) < 0) {
                    throw new MaskingException("ff1: keep_prefix must be >= 0");
                }
                yield input -> {
                    if (input != ValueType.STRING) {
                        throw new MaskingException(name + " applies to string columns, not " + input);
                    }
                    return ValueType.STRING;
                };
            }
            case "noise" -> {
                double bound = decimal(spec, "bound");
                if (!(bound > 0) || !Double.isFinite(bound)) {
                    throw new MaskingException("noise: bound must be > 0. Provided value: " + bound);
                }
                yield input -> {
                    if (!input.isNumeric()) {
                        throw new MaskingException("noise applies to numeric columns, not " + input);
                    }
                    return input;
                };
            }
            default -> keyless(name, spec)::outputType;
        };
    }

    /** The function name in lower case, once its parameters are known to be ones it takes. */
    private static String checkParameters(MaskingSpec spec) {
        String name = spec.function().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new MaskingException("unknown masking function '" + spec.function()
                    + "'; known: " + String.join(", ", NAMES.stream().sorted().toList()));
        }
        Set<String> allowed = switch (name) {
            // the admin's written reason for serving a sensitive value or exact measure unmasked
            case "keep" -> Set.of("reason");
            case "redact" -> Set.of("marker");
            case "partial" -> Set.of("keep_prefix", "keep_suffix");
            case "resident_id" -> Set.of("keep");
            case "date_truncate" -> Set.of("unit");
            case "band" -> Set.of("width", "bottom", "top");
            case "pseudonym" -> Set.of("prefix");
            case "ff1" -> Set.of("keep_prefix", "tweak");
            case "top_bottom" -> Set.of("bottom", "top");
            case "round" -> Set.of("step");
            case "noise" -> Set.of("bound");
            default -> Set.of();
        };
        for (String param : spec.params().keySet()) {
            if (!allowed.contains(param)) {
                throw new MaskingException("masking function '" + name + "' has no parameter '" + param + "'"
                        + (allowed.isEmpty() ? "" : "; it takes " + String.join(", ", allowed.stream().sorted().toList())));
            }
        }
        return name;
    }

    /** The functions that need no key. */
    private static MaskingFunction keyless(String name, MaskingSpec spec) {
        return switch (name) {
            case "keep" -> new Keep();
            case "redact" -> new Redact(spec.param("marker", "***"));
            case "nullify" -> new Nullify();
            case "partial" -> new PartialMask(
                    integer(spec, "keep_prefix", 0), integer(spec, "keep_suffix", 0));
            case "resident_id" -> new ResidentIdMask(enumValue(ResidentIdMask.Keep.class, spec, "keep", "region"));
            case "mobile" -> new MobileMask();
            case "chinese_name" -> new ChineseNameMask();
            case "date_truncate" -> new DateTruncate(enumValue(DateTruncate.Unit.class, spec, "unit", "year"));
            case "band" -> new NumberBand(integer(spec, "width", 10),
                    spec.params().containsKey("bottom") ? decimal(spec, "bottom") : Double.NEGATIVE_INFINITY,
                    spec.params().containsKey("top") ? decimal(spec, "top") : Double.POSITIVE_INFINITY);
            case "address" -> new AddressMask();
            case "email" -> new EmailMask();
            case "licence_plate" -> new LicencePlateMask();
            case "top_bottom" -> new TopBottomCoding(decimal(spec, "bottom"), decimal(spec, "top"));
            case "round" -> new RoundTo(decimal(spec, "step"));
            default -> throw new MaskingException("unknown masking function '" + spec.function()
                    + "'; known: " + String.join(", ", NAMES.stream().sorted().toList()));
        };
    }

    private static int integer(MaskingSpec spec, String param, int defaultValue) {
        String raw = spec.param(param, Integer.toString(defaultValue));
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new MaskingException(spec.function() + ": " + param + " must be an integer. Provided value: " + raw);
        }
    }

    private static double decimal(MaskingSpec spec, String param) {
        String raw = spec.params().get(param);
        if (raw == null) {
            throw new MaskingException(spec.function() + ": " + param + " is required");
        }
        try {
            return Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new MaskingException(spec.function() + ": " + param + " must be a number. Provided value: " + raw);
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, MaskingSpec spec, String param, String defaultValue) {
        String raw = spec.param(param, defaultValue);
        try {
            return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MaskingException(spec.function() + ": " + param + " must be one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()
                    + ". Provided value: " + raw);
        }
    }
}
