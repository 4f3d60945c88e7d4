package org.datasandbox.core.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.datasandbox.core.policy.ColumnPolicy;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.masking.policy.ColumnMasking;
import org.datasandbox.masking.policy.MaskingPolicy;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.sampling.AnonymitySpec;
import org.datasandbox.sample.sampling.Generalization;
import org.datasandbox.sample.sampling.SparkValueTypes;
import org.datasandbox.sample.sampling.UniquenessScan;

/**
 * Which columns of a table's masked sample an attacker can know, deny by default: every column whose mask
 * the attacker can compute from a person's values and that is not one value for all rows: quasi-identifiers,
 * dimensions and measures as masked, and identifiers under computable masks (a phone as {@code 138****5678},
 * a surname). A uniqueness scan of the sample against the originals says which of them single people out on
 * their own; together they can single out people even where no column does alone, so all are kept in the
 * combination. Sensitive attributes served with values are what l-diversity protects.
 */
final class MaskedSampleRisk {
    /** Masks that leave one value for every row: nothing to link. */
    private static final Set<String> CONSTANT = Set.of("nullify", "redact");
    private static final Set<ColumnRole> KNOWN_ROLES = Set.of(ColumnRole.QUASI_IDENTIFIER, ColumnRole.DIMENSION, ColumnRole.MEASURE);

    private MaskedSampleRisk() {
    }

    /**
     * @param granted the columns the scenario is granted: only those are served to it, so only those are
     *     known to its developers (other columns of the stored sample never leave)
     */
    static AnonymitySpec spec(TablePolicy policy, Dataset<Row> masked, MaskingPolicy masking, Set<String> granted) {
        String unit = policy.columns().stream().filter(c -> c.role() == ColumnRole.PRIVACY_UNIT).findFirst().orElseThrow().name();
        List<String> candidates = new ArrayList<>();
        List<String> sensitive = new ArrayList<>();
        List<String> byRole = new ArrayList<>();
        for (StructField field : masked.schema().fields()) {
            ColumnPolicy column = policy.column(field.name()).orElseThrow();
            String function = column.mask().function();
            if (column.role() == ColumnRole.PRIVACY_UNIT || CONSTANT.contains(function) || unguessable(column)
                    || !granted.contains(field.name())) {
                continue;
            }
            if (column.role() == ColumnRole.SENSITIVE_ATTRIBUTE) {
                sensitive.add(field.name());
            } else if (KNOWN_ROLES.contains(column.role())) {
                byRole.add(field.name());
            } else {
                candidates.add(field.name());
            }
        }
        Map<String, Generalization> known = new LinkedHashMap<>();
        for (StructField field : masked.schema().fields()) {
            if (byRole.contains(field.name()) || candidates.contains(field.name())) {
                ColumnPolicy column = policy.column(field.name()).orElseThrow();
                ColumnMasking mask = masking.column(field.name()).orElseThrow();
                double lower = column.bounds().map(b -> b.lower()).orElse(publicExtreme(column, false));
                double upper = column.bounds().map(b -> b.upper()).orElse(publicExtreme(column, true));
                known.put(field.name(), Generalization.of(SparkValueTypes.of(field.dataType()).orElseThrow(),
                        mask.function(), lower, upper));
            }
        }
        return new AnonymitySpec(unit, known, sensitive, policy.samples().kAnonymity(), policy.samples().lDiversity(),
                AnonymitySpec.DEFAULT_MAX_SUPPRESSED_SHARE);
    }

    /**
     * The smallest or largest of a number column's declared public values, NaN when it declares none or they
     * are not numbers: the domain information loss is measured against (merging 0 and 1 of a flag loses all of it).
     */
    private static double publicExtreme(ColumnPolicy column, boolean largest) {
        double extreme = Double.NaN;
        for (String value : column.values()) {
            double number;
            try {
                number = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
            extreme = Double.isNaN(extreme) ? number : largest ? Math.max(extreme, number) : Math.min(extreme, number);
        }
        return extreme;
    }

    /**
     * Whether the attacker cannot compute any part of the masked value without the scenario's key: a keyed
     * pseudonym, or FF1 that keeps no prefix. Format-preserving tokens keep real parts (a resident ID
     * token its region, birth year and sex; a bank card its issuer; a credit code its first characters),
     * so they stay attacker-known and are generalized with the rest.
     */
    static boolean unguessable(ColumnPolicy column) {
        String function = column.mask().function();
        return function.equals("pseudonym")
                || function.equals("ff1") && column.mask().params().getOrDefault("keep_prefix", "0").equals("0");
    }

    /**
     * The attacker-known columns whose masked values alone single out someone: a sample value shared by
     * fewer than k people among the originals masked the same way (before generalization).
     */
    static List<String> identifying(AnonymitySpec spec, Dataset<Row> masked, Dataset<Row> population) {
        return UniquenessScan.identifying(masked, population, spec.unit(), List.copyOf(spec.known().keySet()), spec.k());
    }

    /** Whether every compared column is served exactly as recorded: kept by its mask and not generalized. */
    static boolean servedVerbatim(TablePolicy policy, List<SampleColumn> compared, Map<String, Integer> levels) {
        List<SampleColumn> modelled = compared.stream().filter(SampleColumn::modelled).toList();
        if (modelled.isEmpty()) {
            return false;
        }
        for (SampleColumn column : modelled) {
            Optional<ColumnPolicy> rule = policy.column(column.name());
            if (rule.isEmpty() || !rule.get().mask().function().equals("keep") || levels.getOrDefault(column.name(), 0) > 0) {
                return false;
            }
        }
        return true;
    }
}
