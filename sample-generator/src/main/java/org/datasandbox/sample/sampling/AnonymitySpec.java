package org.datasandbox.sample.sampling;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a masked sample must hold: every combination of the values an attacker can know ({@code known},
 * each with its ladder of generalization) is shared by at least {@code k} privacy units and carries at
 * least {@code l} distinct values of every sensitive column served, counted per person: a person's many rows
 * with one value are one value, and no value may be held by every person of a class (the attacker would learn
 * it for sure, however many other values one person's other rows add).
 *
 * @param unit the privacy-unit column (masked: a pseudonym still tells people apart)
 * @param known attacker-known columns in the order of the table, with their generalizations
 * @param sensitive sensitive columns served with values (l-diversity applies to each)
 * @param maxSuppressedShare generalization stops once at most this share of rows is left to suppress
 */
public record AnonymitySpec(String unit, Map<String, Generalization> known, List<String> sensitive, int k, int l,
                            double maxSuppressedShare) {

    /** Suppress at most this share of rows before generalizing further: a common default of ARX and sdcMicro users. */
    public static final double DEFAULT_MAX_SUPPRESSED_SHARE = 0.05;

    public AnonymitySpec {
        Objects.requireNonNull(unit, "unit");
        known = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(known));
        sensitive = List.copyOf(sensitive);
        if (k < 2) {
            throw new IllegalArgumentException("k must be at least 2. Provided value: " + k);
        }
        if (l < 1 || l > k) {
            throw new IllegalArgumentException("l must be between 1 and k. Provided value: " + l);
        }
        if (!(maxSuppressedShare >= 0 && maxSuppressedShare < 1)) {
            throw new IllegalArgumentException("maxSuppressedShare must be in [0, 1). Provided value: " + maxSuppressedShare);
        }
        if (known.containsKey(unit) || sensitive.stream().anyMatch(known::containsKey)) {
            throw new IllegalArgumentException("the privacy unit and sensitive columns cannot be attacker-known columns");
        }
    }

    /**
     * This spec over rows that also carry a linked table's released columns (joined on the pseudonym, as an
     * attacker joins them): those known columns take part in every class as released ({@link Released}), and
     * those sensitive columns must be diverse in every class too.
     */
    public AnonymitySpec withLinked(List<String> linkedKnown, List<String> linkedSensitive) {
        Map<String, Generalization> all = new java.util.LinkedHashMap<>(known);
        linkedKnown.forEach(name -> all.put(name, new Released()));
        List<String> allSensitive = new java.util.ArrayList<>(sensitive);
        allSensitive.addAll(linkedSensitive);
        return new AnonymitySpec(unit, all, allSensitive, k, l, maxSuppressedShare);
    }
}
