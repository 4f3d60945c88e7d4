package org.datasandbox.core.dprelease;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Murmur3HashFunction$;
import org.apache.spark.sql.catalyst.expressions.XxHash64Function$;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.UnitRows;

/**
 * The per-partition step of {@link StreamingUnitBounding}: one pass over a partition's unit rows ({@code keys..,
 * unit, values..}) sorted by the unit. A unit's rows are consecutive, so its state is at most L0 slots, flushed
 * when the unit changes into one small map by group; only that map leaves the task, as rows of {@code (keys..,
 * partials.., units)}.
 *
 * <p>The bounding is {@code ContributionBounding}'s to the bit: a unit keeps the L0 groups with the smallest
 * {@code xxhash64(salt, unit, keys..)} (ties by the keys ascending, NULLs last), computed by Spark's own hash
 * functions over the rows' internal values; per kept group a count is {@code min(n, Linf)}, a sum of n clamped
 * values is scaled by {@code Linf / n} when {@code n > Linf}, a distinct-unit count is 1 when a value is there.
 *
 * <p><b>The layout is checked, not trusted.</b> Per-partition bounding is sound only when every unit's rows are
 * one run in one partition. Each unit is checked to lie in its partition ({@code pmod(murmur3(unit), n)}, Spark's
 * hash partitioning and bucketing) and to come after the previous unit in order; else {@link LayoutViolation}.
 */
final class UnitBoundingPass implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Spark's seed for both hashes (HashPartitioning's murmur3 and the SQL function xxhash64). */
    private static final long SPARK_SEED = 42;

    private final int keys;
    private final DataType[] keyTypes;
    private final DataType unitType;
    private final DpAggregate.Kind[] kinds;
    private final int l0;
    private final int linf;
    private final long salt;
    private final DataType saltType;
    private final int partitions;

    UnitBoundingPass(UnitRows plan, List<DataType> keyTypes, DataType unitType, int partitions) {
        this.keys = plan.keys();
        this.keyTypes = keyTypes.toArray(DataType[]::new);
        this.unitType = Objects.requireNonNull(unitType, "unitType");
        this.kinds = plan.kinds().toArray(DpAggregate.Kind[]::new);
        this.l0 = plan.maxGroupsPerUnit();
        this.linf = plan.maxRowsPerUnitPerGroup();
        this.salt = plan.salt();
        // Spark reads the unparsed salt literal as an INT when it fits, else as a BIGINT, and hashes it so
        this.saltType = salt == (int) salt ? DataTypes.IntegerType : DataTypes.LongType;
        if (partitions < 1 || keyTypes.size() != keys) {
            throw new IllegalArgumentException("a key type per key and at least one partition are needed");
        }
        this.partitions = partitions;
    }

    /** The columns each output row holds after the keys: per aggregate its partials, then the unit count. */
    static int partialColumns(List<DpAggregate.Kind> kinds) {
        return kinds.stream().mapToInt(k -> k == DpAggregate.Kind.MEAN ? 2 : 1).sum();
    }

    Iterator<Row> bound(int partition, Iterator<InternalRow> rows) {
        Map<List<Object>, double[]> groups = new HashMap<>();
        Unit state = new Unit();
        Object current = null;
        while (rows.hasNext()) {
            InternalRow row = rows.next();
            if (row.isNullAt(keys)) {
                continue; // the rewrite drops rows without a unit
            }
            Object unit = row.get(keys, unitType);
            if (current == null || !current.equals(unit)) {
                if (current != null) {
                    if (compare(unit, current) < 0) {
                        throw new LayoutViolation("rows are not sorted by the privacy unit in partition " + partition);
                    }
                    state.flush(groups);
                }
                int hash = (int) Murmur3HashFunction$.MODULE$.hash(unit, unitType, SPARK_SEED);
                if (Math.floorMod(hash, partitions) != partition) {
                    throw new LayoutViolation("a privacy unit lies outside its partition " + partition);
                }
                current = unit instanceof UTF8String s ? s.copy() : unit;
            }
            state.add(current, row);
        }
        if (current != null) {
            state.flush(groups);
        }
        List<Row> out = new ArrayList<>(groups.size());
        scala.Function1<Object, Object>[] converters = converters();
        int partialCount = partialColumns(List.of(kinds));
        groups.forEach((key, p) -> {
            Object[] cells = new Object[keys + partialCount + 1];
            for (int k = 0; k < keys; k++) {
                cells[k] = key.get(k) == null ? null : converters[k].apply(key.get(k));
            }
            int c = 0;
            for (DpAggregate.Kind kind : kinds) {
                switch (kind) {
                    case COUNT, COUNT_DISTINCT_UNITS -> cells[keys + c] = (long) p[c++];
                    case SUM -> cells[keys + c] = p[c++];
                    case MEAN -> {
                        cells[keys + c] = p[c++];
                        cells[keys + c] = (long) p[c++];
                    }
                    case QUANTILE -> throw new IllegalStateException("quantiles are bounded by the SQL path");
                }
            }
            cells[keys + partialCount] = (long) p[partialCount];
            out.add(RowFactory.create(cells));
        });
        return out.iterator();
    }

    @SuppressWarnings("unchecked")
    private scala.Function1<Object, Object>[] converters() {
        scala.Function1<Object, Object>[] out = new scala.Function1[keys];
        for (int k = 0; k < keys; k++) {
            out[k] = CatalystTypeConverters.createToScalaConverter(keyTypes[k]);
        }
        return out;
    }

    /** Spark's {@code xxhash64(salt, unit, keys..)} as the SQL path computes it (a NULL argument is skipped). */
    private long keyedHash(Object unit, List<Object> key) {
        long hash = XxHash64Function$.MODULE$.hash(salt, saltType, SPARK_SEED);
        hash = XxHash64Function$.MODULE$.hash(unit, unitType, hash);
        for (int k = 0; k < keys; k++) {
            if (key.get(k) != null) {
                hash = XxHash64Function$.MODULE$.hash(key.get(k), keyTypes[k], hash);
            }
        }
        return hash;
    }

    /** Spark's ascending order of non-NULL internal values of one supported type (binary for strings). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    /** The SQL path's window order: hash, then each key ascending with NULLs last. */
    private static boolean before(long hash, List<Object> key, long otherHash, List<Object> otherKey) {
        if (hash != otherHash) {
            return hash < otherHash;
        }
        for (int k = 0; k < key.size(); k++) {
            Object a = key.get(k);
            Object b = otherKey.get(k);
            if (a == null || b == null) {
                if (a != b) {
                    return b == null;
                }
                continue;
            }
            int order = compare(a, b);
            if (order != 0) {
                return order < 0;
            }
        }
        return false;
    }

    /** One unit's state: at most L0 slots of (hash, keys, per value its non-NULL count and sum). */
    private final class Unit {
        private final long[] hashes = new long[l0];
        private final List<List<Object>> slotKeys = new ArrayList<>(l0);
        private final long[][] counts = new long[l0][kinds.length];
        private final double[][] sums = new double[l0][kinds.length];
        private int used;

        void add(Object unit, InternalRow row) {
            List<Object> key = key(row);
            int slot = slotKeys.subList(0, used).indexOf(key);
            if (slot < 0) {
                long hash = keyedHash(unit, key);
                if (used < l0) {
                    slot = used++;
                } else {
                    slot = largest();
                    if (!before(hash, key, hashes[slot], slotKeys.get(slot))) {
                        return; // L0 smaller groups are kept: this one never will be
                    }
                }
                hashes[slot] = hash;
                if (slot < slotKeys.size()) {
                    slotKeys.set(slot, copy(key));
                } else {
                    slotKeys.add(copy(key));
                }
                Arrays.fill(counts[slot], 0);
                Arrays.fill(sums[slot], 0);
            }
            for (int v = 0; v < kinds.length; v++) {
                int column = keys + 1 + v;
                if (!row.isNullAt(column)) {
                    counts[slot][v]++;
                    if (kinds[v] == DpAggregate.Kind.SUM || kinds[v] == DpAggregate.Kind.MEAN) {
                        sums[slot][v] += row.getDouble(column);
                    }
                }
            }
        }

        private List<Object> key(InternalRow row) {
            Object[] values = new Object[keys];
            for (int k = 0; k < keys; k++) {
                values[k] = row.isNullAt(k) ? null : row.get(k, keyTypes[k]);
            }
            return Arrays.asList(values);
        }

        private static List<Object> copy(List<Object> key) {
            Object[] values = key.toArray();
            for (int k = 0; k < values.length; k++) {
                if (values[k] instanceof UTF8String s) {
                    values[k] = s.copy();
                }
            }
            return Arrays.asList(values);
        }

        private int largest() {
            int largest = 0;
            for (int i = 1; i < used; i++) {
                if (before(hashes[largest], slotKeys.get(largest), hashes[i], slotKeys.get(i))) {
                    largest = i;
                }
            }
            return largest;
        }

        /** Adds the kept groups' capped partials to the partition's groups and empties the state. */
        void flush(Map<List<Object>, double[]> groups) {
            int width = partialColumns(List.of(kinds));
            for (int i = 0; i < used; i++) {
                double[] group = groups.computeIfAbsent(slotKeys.get(i), k -> new double[width + 1]);
                int c = 0;
                for (int v = 0; v < kinds.length; v++) {
                    long n = counts[i][v];
                    switch (kinds[v]) {
                        case COUNT -> group[c++] += Math.min(n, linf);
                        case COUNT_DISTINCT_UNITS -> group[c++] += n > 0 ? 1 : 0;
                        case SUM -> group[c++] += scaled(sums[i][v], n);
                        case MEAN -> {
                            group[c++] += scaled(sums[i][v], n);
                            group[c++] += Math.min(n, linf);
                        }
                        case QUANTILE -> throw new IllegalStateException("quantiles are bounded by the SQL path");
                    }
                }
                group[width] += 1;
            }
            used = 0;
        }

        private double scaled(double sum, long n) {
            return n > linf ? sum * (linf / (double) n) : sum;
        }
    }
}
