package org.datasandbox.guard.dp;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Per-unit contribution bounding as one streaming pass over a partition whose rows are clustered and sorted by
 * the unit (a candidate measured in {@link DpGroupByBenchmark}): no exchange, no hash table of units, no sort.
 * A unit's rows are consecutive, so its state is at most L0 slots, flushed when the unit changes; the kept
 * (group, capped partials) are added into one small map by group per partition, and only that map leaves the
 * task (Spark's GROUP BY group merges the partitions).
 *
 * <p>Input per row: (unit BIGINT, group STRING or NULL, clamped value DOUBLE or NULL). The bounding is the rewrite's
 * ({@code ContributionBounding}), to the bit: the groups kept are the L0 of smallest ({@code xxhash64(salt, unit,
 * group)}, group), each COUNT partial is {@code min(rows, Linf)} and each SUM partial the clamped sum scaled to
 * Linf values when the unit has more than Linf non-NULL values in the group.
 *
 * <p><b>The layout is checked, not trusted.</b> The rule that makes a per-partition bounding sound is that every
 * unit's rows are one run in one partition: a unit split over two partitions (or two runs of one) would be bounded
 * twice and contribute up to twice its bound. Every row is checked to belong to its partition
 * ({@code pmod(murmur3(unit), partitions)}, the hash partitioning and the bucketing Spark writes) and to follow
 * the previous one in unit order; either failure throws {@link LayoutViolation} and nothing is released.
 */
public final class SortedUnitBounding implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Spark's seed for both hashes (HashPartitioning's murmur3 and the SQL function xxhash64). */
    private static final int SPARK_SEED = 42;

    /** The rows are not clustered and sorted by the unit as declared: bounding them per partition is unsound. */
    public static final class LayoutViolation extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        LayoutViolation(String message) {
            super(message);
        }
    }

    private final int l0;
    private final int linf;
    private final long salt;
    private final int partitions;

    public SortedUnitBounding(int l0, int linf, long salt, int partitions) {
        if (l0 < 1 || linf < 1 || partitions < 1) {
            throw new IllegalArgumentException("L0, Linf and the partitions must be at least 1");
        }
        this.l0 = l0;
        this.linf = linf;
        this.salt = salt;
        this.partitions = partitions;
    }

    /** The partition's bounded partials by group: rows of (group, COUNT partial, SUM partial or NULL, units). */
    public Iterator<Row> bound(int partition, Iterator<InternalRow> rows) {
        Map<UTF8String, double[]> groups = new HashMap<>();
        Unit unit = new Unit();
        boolean started = false;
        long current = 0;
        while (rows.hasNext()) {
            InternalRow row = rows.next();
            if (row.isNullAt(0)) {
                continue; // the rewrite drops rows without a unit
            }
            long id = row.getLong(0);
            if (!started || id != current) {
                if (started) {
                    if (id < current) {
                        throw new LayoutViolation("rows are not sorted by the privacy unit in partition " + partition);
                    }
                    unit.flush(groups);
                }
                if (Math.floorMod(Murmur3_x86_32.hashLong(id, SPARK_SEED), partitions) != partition) {
                    throw new LayoutViolation("a privacy unit lies outside its partition " + partition);
                }
                started = true;
                current = id;
            }
            unit.add(id, row.getUTF8String(1), row.isNullAt(2) ? null : row.getDouble(2));
        }
        if (started) {
            unit.flush(groups);
        }
        List<Row> out = new ArrayList<>(groups.size());
        groups.forEach((key, p) -> out.add(RowFactory.create(key == null ? null : key.toString(), (long) p[0],
                p[3] > 0 ? (Double) p[1] : null, (long) p[2])));
        return out.iterator();
    }

    /** One unit's state: at most L0 slots of (hash, group, rows, non-NULL values, sum). */
    private final class Unit {
        private final long[] hashes = new long[l0];
        private final UTF8String[] keys = new UTF8String[l0];
        private final long[] rowCounts = new long[l0];
        private final long[] valueCounts = new long[l0];
        private final double[] sums = new double[l0];
        private int used;

        void add(long unit, UTF8String key, Double value) {
            int slot = find(key);
            if (slot < 0) {
                long hash = keyedHash(salt, unit, key);
                if (used < l0) {
                    slot = used++;
                } else {
                    slot = largest();
                    if (!before(hash, key, hashes[slot], keys[slot])) {
                        return; // L0 smaller groups are kept: this one never will be
                    }
                }
                hashes[slot] = hash;
                keys[slot] = key == null ? null : key.copy();
                rowCounts[slot] = 0;
                valueCounts[slot] = 0;
                sums[slot] = 0;
            }
            rowCounts[slot]++;
            if (value != null) {
                valueCounts[slot]++;
                sums[slot] += value;
            }
        }

        private int find(UTF8String key) {
            for (int i = 0; i < used; i++) {
                if (java.util.Objects.equals(keys[i], key)) {
                    return i;
                }
            }
            return -1;
        }

        private int largest() {
            int largest = 0;
            for (int i = 1; i < used; i++) {
                if (before(hashes[largest], keys[largest], hashes[i], keys[i])) {
                    largest = i;
                }
            }
            return largest;
        }

        /** Adds the kept groups' capped partials to the partition's groups and empties the state. */
        void flush(Map<UTF8String, double[]> groups) {
            for (int i = 0; i < used; i++) {
                double[] group = groups.computeIfAbsent(keys[i], k -> new double[4]);
                group[0] += Math.min(rowCounts[i], linf);
                long n = valueCounts[i];
                group[1] += n > linf ? sums[i] * (linf / (double) n) : sums[i];
                group[2] += 1;
                group[3] += n;
            }
            used = 0;
        }
    }

    /** Spark's {@code xxhash64(salt, unit, key)}: the hash the rewrite orders a unit's groups by (NULL is skipped). */
    static long keyedHash(long salt, long unit, UTF8String key) {
        long hash = XXH64.hashLong(unit, XXH64.hashLong(salt, SPARK_SEED));
        return key == null ? hash : XXH64.hashUTF8String(key, hash);
    }

    private static boolean before(long hash, UTF8String key, long otherHash, UTF8String otherKey) {
        // ties by key, NULL last (the rewrite's ORDER BY hash, key NULLS LAST)
        return hash < otherHash || hash == otherHash && key != null && (otherKey == null || key.compareTo(otherKey) < 0);
    }
}
