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
import org.junit.jupiter.api.Test;
import scala.Tuple3;

/**
 * {@link UnitBoundingAggregator} against a reference written from the rule alone (one unit's rows: its groups
 * ordered by (hash, key), the first L0 kept, each with min(n, Linf) and its clamped sum scaled to Linf rows), on
 * generated units whose rows are split into random partitions, reduced in random order and merged in random order.
 */
class UnitBoundingAggregatorTest {

    private record Expected(long n, double sum) {
    }

    @Test
    void finish_anyRowOrderAndMergeTree_equalsTheRuleAppliedToTheWholeUnit() {
        SplittableRandom random = new SplittableRandom(20261130L);
        for (int trial = 0; trial < 500; trial++) {
            int l0 = 1 + random.nextInt(4);
            int linf = 1 + random.nextInt(4);
            int groups = 1 + random.nextInt(9);
            Map<String, Long> hashes = new HashMap<>();
            for (int g = 0; g < groups; g++) {
                // few distinct hashes, so that ties are broken by the key
                hashes.put("g" + g, (long) random.nextInt(4) - 2);
            }
            List<Tuple3<Long, String, Double>> rows = new ArrayList<>();
            int count = 1 + random.nextInt(30);
            for (int r = 0; r < count; r++) {
                String key = "g" + random.nextInt(groups);
                Double value = random.nextInt(5) == 0 ? null : (double) random.nextInt(100);
                rows.add(new Tuple3<>(hashes.get(key), key, value));
            }
            UnitBoundingAggregator aggregator = new UnitBoundingAggregator(l0, linf);
            assertThat(kept(aggregator.finish(partitioned(aggregator, rows, random))))
                    .as("trial %d", trial).usingRecursiveComparison().withComparatorForType(
                            (a, b) -> Math.abs(a - b) < 1e-9 ? 0 : Double.compare(a, b), Double.class)
                    .isEqualTo(reference(rows, l0, linf));
        }
    }

    @Test
    void finish_moreRowsThanLinf_keepsTheMeanTimesLinf() {
        UnitBoundingAggregator aggregator = new UnitBoundingAggregator(1, 2);
        UnitBoundingAggregator.Slots slots = aggregator.zero();
        for (double value : new double[] {1, 2, 3, 6}) {
            slots = aggregator.reduce(slots, new Tuple3<>(7L, "a", value));
        }
        UnitBoundingAggregator.Slots kept = aggregator.finish(slots);
        assertThat(kept.getCounts()).containsExactly(2L);
        assertThat(kept.getSums()[0]).isCloseTo(6.0, within(1e-12));
    }

    private static UnitBoundingAggregator.Slots partitioned(UnitBoundingAggregator aggregator,
                                                            List<Tuple3<Long, String, Double>> rows,
                                                            SplittableRandom random) {
        List<Tuple3<Long, String, Double>> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
        int parts = 1 + random.nextInt(4);
        List<UnitBoundingAggregator.Slots> partials = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            partials.add(aggregator.zero());
        }
        for (Tuple3<Long, String, Double> row : shuffled) {
            int p = random.nextInt(parts);
            partials.set(p, aggregator.reduce(partials.get(p), row));
        }
        Collections.shuffle(partials, new java.util.Random(random.nextLong()));
        UnitBoundingAggregator.Slots merged = aggregator.zero();
        for (UnitBoundingAggregator.Slots partial : partials) {
            merged = aggregator.merge(merged, partial);
        }
        return merged;
    }

    private static Map<String, Expected> kept(UnitBoundingAggregator.Slots slots) {
        Map<String, Expected> kept = new TreeMap<>();
        for (int i = 0; i < slots.getKeys().length; i++) {
            kept.put(slots.getKeys()[i], new Expected(slots.getCounts()[i], slots.getSums()[i]));
        }
        return kept;
    }

    private static Map<String, Expected> reference(List<Tuple3<Long, String, Double>> rows, int l0, int linf) {
        Map<String, List<Tuple3<Long, String, Double>>> byGroup = new HashMap<>();
        for (Tuple3<Long, String, Double> row : rows) {
            byGroup.computeIfAbsent(row._2(), k -> new ArrayList<>()).add(row);
        }
        List<String> order = new ArrayList<>(byGroup.keySet());
        order.sort(Comparator.<String>comparingLong(k -> byGroup.get(k).get(0)._1()).thenComparing(k -> k));
        Map<String, Expected> expected = new TreeMap<>();
        for (String key : order.subList(0, Math.min(l0, order.size()))) {
            long n = byGroup.get(key).stream().filter(r -> r._3() != null).count();
            double sum = byGroup.get(key).stream().filter(r -> r._3() != null).mapToDouble(Tuple3::_3).sum();
            expected.put(key, n > linf ? new Expected(linf, sum / n * linf) : new Expected(n, sum));
        }
        return expected;
    }
}
