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
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
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
 *
 * <p>Per row it allocates nothing it keeps: the row's keys are read into one scratch array and compared in place
 * with the unit's at most L0 slots (the slot of the previous row first); a key is copied only when it takes a slot.
 * The salt's hash is computed once, the unit's once per unit; a slot's key carries its hash code into the
 * partition's map.
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
    /** {@code xxhash64} of the salt alone: the same for every row, so the keyed hash starts from it. */
    private final long saltHash;
    private final int partitions;
    /** The partial columns per output row: per aggregate its partials (then the unit count). */
    private final int width;

    UnitBoundingPass(UnitRows plan, List<DataType> keyTypes, DataType unitType, int partitions) {
        this.keys = plan.keys();
        this.keyTypes = keyTypes.toArray(DataType[]::new);
        this.unitType = Objects.requireNonNull(unitType, "unitType");
        this.kinds = plan.kinds().toArray(DpAggregate.Kind[]::new);
        this.l0 = plan.maxGroupsPerUnit();
        this.linf = plan.maxRowsPerUnitPerGroup();
        long salt = plan.salt();
        // Spark reads the unparsed salt literal as an INT when it fits, else as a BIGINT, and hashes it so
        DataType saltType = salt == (int) salt ? DataTypes.IntegerType : DataTypes.LongType;
        this.saltHash = XxHash64Function$.MODULE$.hash(salt, saltType, SPARK_SEED);
        if (partitions < 1 || keyTypes.size() != keys) {
            throw new IllegalArgumentException("a key type per key and at least one partition are needed");
        }
        this.partitions = partitions;
        this.width = partialColumns(plan.kinds());
    }

    /** The columns each output row holds after the keys: per aggregate its partials, then the unit count. */
    static int partialColumns(List<DpAggregate.Kind> kinds) {
        return kinds.stream().mapToInt(k -> k == DpAggregate.Kind.MEAN ? 2 : 1).sum();
    }

    Iterator<Row> bound(int partition, Iterator<InternalRow> rows) {
        Map<GroupKey, double[]> groups = new HashMap<>();
        Unit state = new Unit();
        boolean longUnit = unitType instanceof LongType;
        Object current = null;
        long currentLong = 0;
        while (rows.hasNext()) {
            InternalRow row = rows.next();
            if (row.isNullAt(keys)) {
                continue; // the rewrite drops rows without a unit
            }
            if (longUnit) { // the common unit type: compared unboxed, boxed once per unit
                long unit = row.getLong(keys);
                if (current == null || unit != currentLong) {
                    if (current != null) {
                        if (unit < currentLong) {
                            throw notSorted(partition);
                        }
                        state.flush(groups);
                    }
                    currentLong = unit;
                    current = unit;
                    state.start(partition, current);
                }
            } else {
                Object unit = row.get(keys, unitType);
                if (current == null || !current.equals(unit)) {
                    if (current != null) {
                        if (compare(unit, current) < 0) {
                            throw notSorted(partition);
                        }
                        state.flush(groups);
                    }
                    current = unit instanceof UTF8String s ? s.copy() : unit;
                    state.start(partition, current);
                }
            }
            state.add(row);
        }
        if (current != null) {
            state.flush(groups);
        }
        List<Row> out = new ArrayList<>(groups.size());
        scala.Function1<Object, Object>[] converters = converters();
        groups.forEach((key, p) -> {
            Object[] cells = new Object[keys + width + 1];
            for (int k = 0; k < keys; k++) {
                cells[k] = key.values[k] == null ? null : converters[k].apply(key.values[k]);
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
            cells[keys + width] = (long) p[width];
            out.add(RowFactory.create(cells));
        });
        return out.iterator();
    }

    private static LayoutViolation notSorted(int partition) {
        return new LayoutViolation("rows are not sorted by the privacy unit in partition " + partition);
    }

    @SuppressWarnings("unchecked")
    private scala.Function1<Object, Object>[] converters() {
        scala.Function1<Object, Object>[] out = new scala.Function1[keys];
        for (int k = 0; k < keys; k++) {
            out[k] = CatalystTypeConverters.createToScalaConverter(keyTypes[k]);
        }
        return out;
    }

    /** Spark's ascending order of non-NULL internal values of one supported type (binary for strings). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    /** The SQL path's window order: hash, then each key ascending with NULLs last. */
    private static boolean before(long hash, Object[] key, long otherHash, Object[] otherKey) {
        if (hash != otherHash) {
            return hash < otherHash;
        }
        for (int k = 0; k < key.length; k++) {
            Object a = key[k];
            Object b = otherKey[k];
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

    private static final byte GENERIC = 0;
    private static final byte STRING = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;

    /** The getter of each key type: strings, INT and DATE (an int), BIGINT and timestamps (a long); else generic. */
    private static byte[] readers(DataType[] types) {
        byte[] out = new byte[types.length];
        for (int k = 0; k < types.length; k++) {
            DataType type = types[k];
            out[k] = type.equals(DataTypes.StringType) ? STRING
                    : type instanceof IntegerType || type instanceof DateType ? INT
                    : type instanceof LongType || type instanceof TimestampType || type instanceof TimestampNTZType ? LONG
                    : GENERIC;
        }
        return out;
    }

    /** A group's key values (internal, owned: strings copied), with their hash code computed once. */
    private static final class GroupKey {
        private final Object[] values;
        private final int hashCode;

        GroupKey(Object[] values) {
            this.values = values;
            this.hashCode = Arrays.hashCode(values);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof GroupKey key && key.hashCode == hashCode && Arrays.equals(key.values, values);
        }

        @Override
        public int hashCode() {
            return hashCode;
        }
    }

    /** One unit's state: at most L0 slots of (hash, keys, per value its non-NULL count and sum). */
    private final class Unit {
        private final long[] hashes = new long[l0];
        private final GroupKey[] slotKeys = new GroupKey[l0];
        private final long[][] counts = new long[l0][kinds.length];
        private final double[][] sums = new double[l0][kinds.length];
        /** The current row's keys, read in place (a string still points into the row): never kept. */
        private final Object[] scratch = new Object[keys];
        /** Per key, which getter reads it ({@link #read}). */
        private final byte[] readers = readers(keyTypes);
        private int used;
        private int last;
        /** {@code xxhash64(salt, unit)}: where every keyed hash of the unit's groups continues. */
        private long unitHash;

        /** A new unit: checks that it lies in this partition, and hashes it once. */
        void start(int partition, Object unit) {
            int hash = (int) Murmur3HashFunction$.MODULE$.hash(unit, unitType, SPARK_SEED);
            if (Math.floorMod(hash, partitions) != partition) {
                throw new LayoutViolation("a privacy unit lies outside its partition " + partition);
            }
            unitHash = XxHash64Function$.MODULE$.hash(unit, unitType, saltHash);
        }

        void add(InternalRow row) {
            for (int k = 0; k < keys; k++) {
                scratch[k] = row.isNullAt(k) ? null : read(row, k);
            }
            int slot = find();
            if (slot < 0) {
                long hash = keyedHash();
                if (used < l0) {
                    slot = used++;
                } else {
                    slot = largest();
                    if (!before(hash, scratch, hashes[slot], slotKeys[slot].values)) {
                        return; // L0 smaller groups are kept: this one never will be
                    }
                }
                hashes[slot] = hash;
                slotKeys[slot] = new GroupKey(owned(scratch));
                Arrays.fill(counts[slot], 0);
                Arrays.fill(sums[slot], 0);
            }
            last = slot;
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

        /**
         * {@code row.get(k, type)}'s value (the same boxed internal value) through the type's own getter, chosen once:
         * the generic getter matches the type on every call, which the profile showed as the pass's largest cost.
         */
        private Object read(InternalRow row, int k) {
            return switch (readers[k]) {
                case STRING -> row.getUTF8String(k);
                case INT -> row.getInt(k);
                case LONG -> row.getLong(k);
                default -> row.get(k, keyTypes[k]);
            };
        }

        /** The slot holding the scratch keys (the previous row's first), or -1. */
        private int find() {
            if (last < used && Arrays.equals(slotKeys[last].values, scratch)) {
                return last;
            }
            for (int i = 0; i < used; i++) {
                if (i != last && Arrays.equals(slotKeys[i].values, scratch)) {
                    return i;
                }
            }
            return -1;
        }

        /** Spark's {@code xxhash64(salt, unit, keys..)} as the SQL path computes it (a NULL argument is skipped). */
        private long keyedHash() {
            long hash = unitHash;
            for (int k = 0; k < keys; k++) {
                if (scratch[k] != null) {
                    hash = XxHash64Function$.MODULE$.hash(scratch[k], keyTypes[k], hash);
                }
            }
            return hash;
        }

        private static Object[] owned(Object[] key) {
            Object[] values = key.clone();
            for (int k = 0; k < values.length; k++) {
                if (values[k] instanceof UTF8String s) {
                    values[k] = s.copy();
                }
            }
            return values;
        }

        private int largest() {
            int largest = 0;
            for (int i = 1; i < used; i++) {
                if (before(hashes[largest], slotKeys[largest].values, hashes[i], slotKeys[i].values)) {
                    largest = i;
                }
            }
            return largest;
        }

        /** Adds the kept groups' capped partials to the partition's groups and empties the state. */
        void flush(Map<GroupKey, double[]> groups) {
            for (int i = 0; i < used; i++) {
                double[] group = groups.computeIfAbsent(slotKeys[i], k -> new double[width + 1]);
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
            last = 0;
        }

        private double scaled(double sum, long n) {
            return n > linf ? sum * (linf / (double) n) : sum;
        }
    }
}
