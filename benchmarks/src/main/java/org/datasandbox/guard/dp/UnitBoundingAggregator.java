package org.datasandbox.guard.dp;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;
import scala.Tuple3;

/**
 * The per-unit bounding the README's "Differential privacy" section asked for, as a candidate measured in
 * {@link DpGroupByBenchmark}: one aggregation by unit whose state is bounded (at most L0 slots), each slot a
 * group with its capped partial. Input per row: the keyed hash of (salt, unit, group key), the group key, the
 * clamped value (NULL when the row does not count). The state keeps the L0 groups with the smallest (hash, key):
 * a group evicted has L0 smaller ones and is never kept, so the result is the same whatever the row order and
 * the merge tree, and depends on the unit's own rows and the salt only. Output: the kept groups, each with
 * {@code min(n, Linf)} and the clamped sum scaled to Linf rows when {@code n > Linf} (ContributionBounding's
 * capping), as a struct of arrays for {@code inline(arrays_zip(...))} and an aggregation by group.
 *
 * <p>Registered with {@code functions.udaf}: Spark plans it as an {@code ObjectHashAggregate} (a
 * {@code TypedImperativeAggregate}), which falls back to sorting its input once a task holds more than
 * {@code spark.sql.objectHashAggregate.sortBased.fallbackThreshold} units (128 by default). Specialised to one
 * STRING key and one DOUBLE value (the benchmark's queries): the measurement decides whether it is worth a
 * generic version in the rewrite.
 */
public final class UnitBoundingAggregator
        extends Aggregator<Tuple3<Long, String, Double>, UnitBoundingAggregator.Slots, UnitBoundingAggregator.Slots> {

    /** At most L0 groups of one unit, unordered; a Java bean so that Spark's bean encoder serialises it. */
    public static final class Slots implements Serializable {
        private long[] hashes = new long[0];
        private String[] keys = new String[0];
        private long[] counts = new long[0];
        private double[] sums = new double[0];

        public long[] getHashes() {
            return hashes;
        }

        public void setHashes(long[] hashes) {
            this.hashes = hashes;
        }

        public String[] getKeys() {
            return keys;
        }

        public void setKeys(String[] keys) {
            this.keys = keys;
        }

        public long[] getCounts() {
            return counts;
        }

        public void setCounts(long[] counts) {
            this.counts = counts;
        }

        public double[] getSums() {
            return sums;
        }

        public void setSums(double[] sums) {
            this.sums = sums;
        }
    }

    private final int l0;
    private final int linf;

    public UnitBoundingAggregator(int l0, int linf) {
        if (l0 < 1 || linf < 1) {
            throw new IllegalArgumentException("L0 and Linf must be at least 1");
        }
        this.l0 = l0;
        this.linf = linf;
    }

    @Override
    public Slots zero() {
        return new Slots();
    }

    @Override
    public Slots reduce(Slots slots, Tuple3<Long, String, Double> row) {
        Double value = row._3();
        return add(slots, row._1(), row._2(), value == null ? 0 : 1, value == null ? 0 : value);
    }

    @Override
    public Slots merge(Slots a, Slots b) {
        for (int i = 0; i < b.hashes.length; i++) {
            a = add(a, b.hashes[i], b.keys[i], b.counts[i], b.sums[i]);
        }
        return a;
    }

    /** Adds a partial to its group's slot, takes a free slot, or replaces the largest slot when it is smaller. */
    private Slots add(Slots s, long hash, String key, long count, double sum) {
        int size = s.hashes.length;
        int largest = -1;
        for (int i = 0; i < size; i++) {
            if (s.hashes[i] == hash && s.keys[i].equals(key)) {
                s.counts[i] += count;
                s.sums[i] += sum;
                return s;
            }
            if (largest < 0 || before(s.hashes[largest], s.keys[largest], s.hashes[i], s.keys[i])) {
                largest = i;
            }
        }
        if (size < l0) {
            s.hashes = Arrays.copyOf(s.hashes, size + 1);
            s.keys = Arrays.copyOf(s.keys, size + 1);
            s.counts = Arrays.copyOf(s.counts, size + 1);
            s.sums = Arrays.copyOf(s.sums, size + 1);
            largest = size;
        } else if (!before(hash, key, s.hashes[largest], s.keys[largest])) {
            return s;
        }
        s.hashes[largest] = hash;
        s.keys[largest] = key;
        s.counts[largest] = count;
        s.sums[largest] = sum;
        return s;
    }

    private static boolean before(long hash, String key, long otherHash, String otherKey) {
        return hash < otherHash || hash == otherHash && key.compareTo(otherKey) < 0;
    }

    /** The kept groups with their partials capped at Linf rows (the slots' order does not matter). */
    @Override
    public Slots finish(Slots s) {
        for (int i = 0; i < s.hashes.length; i++) {
            long n = s.counts[i];
            if (n > linf) {
                s.sums[i] = s.sums[i] * linf / n;
                s.counts[i] = linf;
            }
        }
        return s;
    }

    @Override
    public Encoder<Slots> bufferEncoder() {
        return Encoders.bean(Slots.class);
    }

    @Override
    public Encoder<Slots> outputEncoder() {
        return Encoders.bean(Slots.class);
    }
}
