package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.coalesce;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * k-anonymity and l-diversity of a masked sample, generalization before suppression, with distinct
 * l-diversity: the levels of the attacker-known columns (global recoding) are those of least information loss
 * among all that leave at most the allowed share of rows in classes of fewer than k people or fewer than l
 * sensitive values ({@link LatticeSearch}); the rows still in such classes are then dropped. A sample or a
 * lattice too large to search falls back to Sweeney's Datafly: the known column with the most distinct values
 * goes one step coarser until the rule holds. Classes count privacy units, not rows, so a person with many
 * rows is one person.
 */
public final class KlAnonymizer {
    private static final String UNITS = "__units";
    private static final String ROWS = "__rows";
    private static final String DIVERSITY = "__diverse_";
    /** Per sensitive column, the most people of a class that hold one of its values. */
    private static final String COMMON = "__common_";
    private static final String HOLDERS = "__holders";

    private KlAnonymizer() {
    }

    /**
     * What anonymization did: the sample, the level reached per attacker-known column and the rows dropped.
     *
     * @param levels generalization level per known column, 0 = as masked
     */
    public record Anonymized(Dataset<Row> rows, Map<String, Integer> levels, Map<String, String> generalization,
                             long suppressedRows) {
    }

    public static Anonymized anonymize(Dataset<Row> masked, AnonymitySpec spec) {
        Map<String, Integer> levels = new LinkedHashMap<>();
        spec.known().keySet().forEach(name -> levels.put(name, 0));
        Dataset<Row> input = masked.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        try {
            long rows = input.count();
            java.util.Optional<Map<String, Integer>> searched = LatticeSearch.best(input, spec, rows);
            searched.ifPresent(levels::putAll);
            while (searched.isEmpty()) {
                List<Row> classes = classes(generalize(input, spec, levels), spec).collectAsList();
                long violating = 0;
                for (Row c : classes) {
                    violating += violates(c, spec) ? c.<Long>getAs(ROWS) : 0;
                }
                if (violating <= spec.maxSuppressedShare() * rows) {
                    break;
                }
                String next = mostDistinct(classes, spec, levels);
                if (next == null) {
                    break; // every known column is empty: suppression decides the rest
                }
                levels.merge(next, 1, Integer::sum);
            }
            Dataset<Row> kept = keepValidClasses(generalize(input, spec, levels), spec);
            if (removeUnshown(kept, spec, levels)) {
                kept = keepValidClasses(generalize(input, spec, levels), spec);
            }
            long suppressed = rows - kept.count();
            Map<String, String> described = new LinkedHashMap<>();
            levels.forEach((name, level) -> described.put(name, spec.known().get(name).describe(level)));
            return new Anonymized(kept, Map.copyOf(levels), described, suppressed);
        } finally {
            input.unpersist();
        }
    }

    /**
     * A column that shows fewer than two values over the released rows shows nothing and is removed (its level set
     * to the ladder's last): the report then says so instead of "bands of 200". Removing a column constant over the
     * kept rows only merges classes that each keep the rule, so the rule still holds; Spark recounts it anyway.
     *
     * @return whether a level changed
     */
    private static boolean removeUnshown(Dataset<Row> kept, AnonymitySpec spec, Map<String, Integer> levels) {
        List<String> candidates = new ArrayList<>();
        for (String name : spec.known().keySet()) {
            int height = spec.known().get(name).levels();
            if (height > 0 && levels.get(name) < height) {
                candidates.add(name);
            }
        }
        if (candidates.isEmpty()) {
            return false;
        }
        Row distinct = kept.agg(countDistinct(col(candidates.get(0))).as(candidates.get(0)), candidates.stream().skip(1)
                .map(n -> countDistinct(col(n)).as(n)).toArray(Column[]::new)).first();
        boolean changed = false;
        for (int i = 0; i < candidates.size(); i++) {
            if (distinct.getLong(i) < 2) {
                levels.put(candidates.get(i), spec.known().get(candidates.get(i)).levels());
                changed = true;
            }
        }
        return changed;
    }

    /** {@code rows} with every attacker-known column at its level: also how the population is generalized for risk figures. */
    public static Dataset<Row> generalize(Dataset<Row> rows, AnonymitySpec spec, Map<String, Integer> levels) {
        List<Column> columns = new ArrayList<>();
        for (var field : rows.schema().fields()) {
            Generalization ladder = spec.known().get(field.name());
            Column value = col(field.name());
            columns.add(ladder == null ? value : ladder.apply(value, field.dataType(), levels.getOrDefault(field.name(), 0)).as(field.name()));
        }
        return rows.select(columns.toArray(Column[]::new));
    }

    /**
     * One row per class: the known values, its people, its rows, and per sensitive column its distinct values and
     * the most people holding one value (a value every person of the class holds is disclosed, whatever else one
     * person's other rows hold).
     */
    private static Dataset<Row> classes(Dataset<Row> generalized, AnonymitySpec spec) {
        List<Column> aggregates = new ArrayList<>();
        aggregates.add(count(lit(1)).as(ROWS));
        for (int i = 0; i < spec.sensitive().size(); i++) {
            aggregates.add(countDistinct(col(spec.sensitive().get(i))).as(DIVERSITY + i));
        }
        List<String> names = List.copyOf(spec.known().keySet());
        Column[] keys = names.stream().map(n -> col(n)).toArray(Column[]::new);
        Dataset<Row> classes = generalized.groupBy(keys).agg(countDistinct(col(spec.unit())).as(UNITS), aggregates.toArray(Column[]::new));
        for (int i = 0; i < spec.sensitive().size(); i++) {
            String sensitive = spec.sensitive().get(i);
            Column[] withValue = java.util.stream.Stream.concat(names.stream(), java.util.stream.Stream.of(sensitive))
                    .map(n -> col(n)).toArray(Column[]::new);
            Dataset<Row> common = generalized.where(col(sensitive).isNotNull()).groupBy(withValue)
                    .agg(countDistinct(col(spec.unit())).as(HOLDERS))
                    .groupBy(keys).agg(max(col(HOLDERS)).as(COMMON + i));
            Dataset<Row> renamed = common.select(java.util.stream.Stream.concat(names.stream().map(n -> col(n).as("__c_" + n)),
                    java.util.stream.Stream.of(col(COMMON + i))).toArray(Column[]::new));
            Column same = lit(true);
            for (String name : names) {
                same = same.and(classes.col(name).eqNullSafe(renamed.col("__c_" + name)));
            }
            Dataset<Row> joined = classes.join(renamed, same, "left");
            for (String name : names) {
                joined = joined.drop(renamed.col("__c_" + name));
            }
            classes = joined.withColumn(COMMON + i, coalesce(col(COMMON + i), lit(0L)));
        }
        return classes;
    }

    private static boolean violates(Row c, AnonymitySpec spec) {
        if (c.<Long>getAs(UNITS) < spec.k()) {
            return true;
        }
        for (int i = 0; i < spec.sensitive().size(); i++) {
            if (c.<Long>getAs(DIVERSITY + i) < spec.l() || spec.l() >= 2 && c.<Long>getAs(COMMON + i) >= c.<Long>getAs(UNITS)) {
                return true;
            }
        }
        return false;
    }

    /** The known column, not yet empty, with the most distinct values over the classes; null when all are empty. */
    private static String mostDistinct(List<Row> classes, AnonymitySpec spec, Map<String, Integer> levels) {
        String best = null;
        int most = -1;
        for (String name : spec.known().keySet()) {
            if (levels.get(name) >= spec.known().get(name).levels()) {
                continue;
            }
            Set<Object> values = new HashSet<>();
            for (Row c : classes) {
                values.add(c.getAs(name));
            }
            if (values.size() > most) {
                most = values.size();
                best = name;
            }
        }
        return best;
    }

    private static Dataset<Row> keepValidClasses(Dataset<Row> generalized, AnonymitySpec spec) {
        Dataset<Row> classes = classes(generalized, spec);
        Column valid = col(UNITS).geq(spec.k());
        for (int i = 0; i < spec.sensitive().size(); i++) {
            valid = valid.and(col(DIVERSITY + i).geq(spec.l()));
            if (spec.l() >= 2) {
                valid = valid.and(col(COMMON + i).lt(col(UNITS)));
            }
        }
        List<String> keys = new ArrayList<>(spec.known().keySet());
        Dataset<Row> good = classes.where(valid).select(keys.stream().map(n -> col(n).as("__k_" + n)).toArray(Column[]::new));
        if (keys.isEmpty()) {
            return good.isEmpty() ? generalized.limit(0) : generalized;
        }
        Column same = lit(true);
        for (String key : keys) {
            same = same.and(generalized.col(key).eqNullSafe(good.col("__k_" + key)));
        }
        return generalized.join(good, same, "left_semi");
    }
}
