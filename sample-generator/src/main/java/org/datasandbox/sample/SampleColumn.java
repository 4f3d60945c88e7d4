package org.datasandbox.sample;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.datasandbox.masking.function.ValueType;

/**
 * What a sample generator and its report need to know of one column, from the table policy.
 *
 * @param kind {@link Kind#PRIVACY_UNIT} and {@link Kind#IDENTIFIER} columns are made up without looking
 *     at the data in synthetic samples and left out of fidelity figures; {@link Kind#CATEGORICAL} and
 *     {@link Kind#NUMERIC} ones are modelled and compared
 * @param lower lower bound of a numeric column (policy bounds; values are clamped to them), NaN for the
 *     public default of dates
 * @param upper upper bound, NaN for the public default of dates
 * @param format for identifiers: the column's masking function (mobile, resident_id, ...), which says
 *     what a valid value looks like
 * @param quasiIdentifier whether the column counts for re-identification risk and k-anonymity
 * @param domain for categories: the values the policy declares public (as Spark writes them as text),
 *     which synthetic samples count with noise without partition selection; empty when the values are
 *     known only from the data (booleans are always public: true and false)
 */
public record SampleColumn(String name, ValueType type, Kind kind, double lower, double upper, String format,
                           boolean quasiIdentifier, List<String> domain) implements Serializable {

    /** What a column is to the samplers. */
    public enum Kind {
        PRIVACY_UNIT,
        IDENTIFIER,
        CATEGORICAL,
        NUMERIC
    }

    public SampleColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(format, "format");
        domain = List.copyOf(Objects.requireNonNull(domain, "domain"));
        if (!domain.isEmpty() && kind != Kind.CATEGORICAL) {
            throw new IllegalArgumentException("column " + name + ": only categories have a public domain");
        }
        if (domain.stream().distinct().count() != domain.size()) {
            throw new IllegalArgumentException("column " + name + ": the public domain repeats a value");
        }
        if (kind == Kind.NUMERIC && type != ValueType.DATE && (Double.isNaN(lower) || Double.isNaN(upper))) {
            throw new IllegalArgumentException("numeric column " + name + " needs bounds");
        }
        if (kind == Kind.NUMERIC && !Double.isNaN(lower) && !(lower < upper)) {
            throw new IllegalArgumentException("column " + name + ": lower bound must be below upper bound");
        }
        if (kind == Kind.NUMERIC && !(type.isNumeric() || type == ValueType.DATE)) {
            throw new IllegalArgumentException("column " + name + " of type " + type + " cannot be numeric");
        }
    }

    public static SampleColumn privacyUnit(String name, ValueType type) {
        return new SampleColumn(name, type, Kind.PRIVACY_UNIT, Double.NaN, Double.NaN, "", false, List.of());
    }

    public static SampleColumn identifier(String name, ValueType type, String format) {
        return new SampleColumn(name, type, Kind.IDENTIFIER, Double.NaN, Double.NaN, format == null ? "" : format, false, List.of());
    }

    public static SampleColumn categorical(String name, ValueType type) {
        return new SampleColumn(name, type, Kind.CATEGORICAL, Double.NaN, Double.NaN, "", false, List.of());
    }

    /** A category column whose values the policy declares: synthetic samples skip partition selection for it. */
    public static SampleColumn categorical(String name, ValueType type, List<String> domain) {
        return new SampleColumn(name, type, Kind.CATEGORICAL, Double.NaN, Double.NaN, "", false, domain);
    }

    /** Dates may omit bounds: they then span 1900 to 2099, a range fixed before seeing any data. */
    public static SampleColumn numeric(String name, ValueType type, double lower, double upper) {
        return new SampleColumn(name, type, Kind.NUMERIC, lower, upper, "", false, List.of());
    }

    public SampleColumn asQuasiIdentifier() {
        return new SampleColumn(name, type, kind, lower, upper, format, true, domain);
    }

    /** The public values of a category column: the declared domain, or true and false for booleans. */
    public List<String> publicDomain() {
        if (!domain.isEmpty() || kind != Kind.CATEGORICAL || type != ValueType.BOOLEAN) {
            return domain;
        }
        return List.of("false", "true");
    }

    /** Modelled by synthetic samples and compared by reports: not a privacy unit, not an identifier. */
    public boolean modelled() {
        return kind == Kind.CATEGORICAL || kind == Kind.NUMERIC;
    }
}
