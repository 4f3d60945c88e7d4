package org.datasandbox.guard.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.MutableAggregationBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link FixedWidthUnitBounding} against the rule written out independently (one unit's groups ordered by
 * (hash, group id), the first L0 kept, each with min(n, Linf) and its clamped sum scaled to Linf rows), on
 * generated units split into random partitions, updated and merged in random order, through a hand-written
 * buffer (Spark's is an UnsafeRow behind the same interface).
 */
@SuppressWarnings("deprecation")
class FixedWidthUnitBoundingTest {

    private record Expected(long n, double sum) {
    }

    /** A buffer backed by an array, as Spark's MutableAggregationBufferImpl is backed by an UnsafeRow. */
    private static final class ArrayBuffer extends MutableAggregationBuffer {
        private final Object[] values;

        ArrayBuffer(int size) {
            values = new Object[size];
        }

        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object get(int i) {
            return values[i];
        }

        @Override
        public void update(int i, Object value) {
            values[i] = value;
        }

        @Override
        public Row copy() {
            return RowFactory.create(values.clone());
        }
    }

    @Test
    void evaluate_anyRowOrderAndMergeTree_equalsTheRuleAppliedToTheWholeUnit() {
        SplittableRandom random = new SplittableRandom(20261130L);
        for (int trial = 0; trial < 500; trial++) {
            int l0 = 1 + random.nextInt(4);
            int linf = 1 + random.nextInt(4);
            int groups = 1 + random.nextInt(9);
            Map<Long, Long> hashes = new HashMap<>();
            for (long g = 0; g < groups; g++) {
                hashes.put(g, (long) random.nextInt(4) - 2);
            }
            List<Row> rows = new ArrayList<>();
            int count = 1 + random.nextInt(30);
            for (int r = 0; r < count; r++) {
                long group = random.nextInt(groups);
                Double value = random.nextInt(5) == 0 ? null : (double) random.nextInt(100);
                rows.add(RowFactory.create(hashes.get(group), group, value));
            }
            FixedWidthUnitBounding bounding = new FixedWidthUnitBounding(l0, linf);
            Map<Long, Expected> kept = kept(bounding.evaluate(partitioned(bounding, rows, random)));
            Map<Long, Expected> expected = reference(rows, l0, linf);
            assertThat(kept.keySet()).as("trial %d", trial).isEqualTo(expected.keySet());
            for (Map.Entry<Long, Expected> entry : expected.entrySet()) {
                assertThat(kept.get(entry.getKey()).n()).isEqualTo(entry.getValue().n());
                assertThat(kept.get(entry.getKey()).sum()).isCloseTo(entry.getValue().sum(), within(1e-9));
            }
        }
    }

    private static Row partitioned(FixedWidthUnitBounding bounding, List<Row> rows, SplittableRandom random) {
        int width = bounding.bufferSchema().size();
        List<Row> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
        List<ArrayBuffer> partials = new ArrayList<>();
        for (int p = 1 + random.nextInt(4); p > 0; p--) {
            ArrayBuffer buffer = new ArrayBuffer(width);
            bounding.initialize(buffer);
            partials.add(buffer);
        }
        for (Row row : shuffled) {
            bounding.update(partials.get(random.nextInt(partials.size())), row);
        }
        Collections.shuffle(partials, new java.util.Random(random.nextLong()));
        ArrayBuffer merged = new ArrayBuffer(width);
        bounding.initialize(merged);
        for (ArrayBuffer partial : partials) {
            bounding.merge(merged, partial);
        }
        return merged;
    }

    private static Map<Long, Expected> kept(Object evaluated) {
        Map<Long, Expected> kept = new TreeMap<>();
        for (Object element : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) evaluated)) {
            Row row = (Row) element;
            kept.put(row.getLong(0), new Expected(row.getLong(1), row.getDouble(2)));
        }
        return kept;
    }

    private static Map<Long, Expected> reference(List<Row> rows, int l0, int linf) {
        Map<Long, List<Row>> byGroup = new HashMap<>();
        for (Row row : rows) {
            byGroup.computeIfAbsent(row.getLong(1), k -> new ArrayList<>()).add(row);
        }
        List<Long> order = new ArrayList<>(byGroup.keySet());
        order.sort(Comparator.<Long>comparingLong(g -> byGroup.get(g).get(0).getLong(0)).thenComparing(g -> g));
        Map<Long, Expected> expected = new TreeMap<>();
        for (long group : order.subList(0, Math.min(l0, order.size()))) {
            List<Row> counted = byGroup.get(group).stream().filter(r -> !r.isNullAt(2)).toList();
            double sum = counted.stream().mapToDouble(r -> r.getDouble(2)).sum();
            long n = counted.size();
            expected.put(group, n > linf ? new Expected(linf, sum / n * linf) : new Expected(n, sum));
        }
        return expected;
    }
}
