package org.datasandbox.guard.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.XxHash64;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * {@link SortedUnitBounding} against a reference written from the rule alone, and its layout check against
 * generated layouts: whatever the layout, the pass either returns exactly the bounding of whole units or refuses;
 * it never bounds a unit split over two partitions or two runs as two units (which would double its contribution).
 */
class SortedUnitBoundingTest {
    private static final long SALT = 8699989649721214301L;

    private record Visit(long unit, String group, Double value) {
    }

    private record Partial(long n, double sum, long units) {
    }

    @Test
    void bound_validLayouts_equalTheRuleAppliedToEachWholeUnit() {
        SplittableRandom random = new SplittableRandom(20261130L);
        for (int trial = 0; trial < 300; trial++) {
            int l0 = 1 + random.nextInt(4);
            int linf = 1 + random.nextInt(4);
            int partitions = 1 + random.nextInt(5);
            List<Visit> visits = visits(random);
            Map<String, Partial> got = run(new SortedUnitBounding(l0, linf, SALT, partitions),
                    layout(visits, partitions, random));
            assertThat(got).as("trial %d", trial).usingRecursiveComparison()
                    .withComparatorForType((a, b) -> Math.abs(a - b) < 1e-9 ? 0 : Double.compare(a, b), Double.class)
                    .isEqualTo(reference(visits, l0, linf));
        }
    }

    @Test
    void bound_generatedLayouts_boundWholeUnitsOrRefuse() {
        SplittableRandom random = new SplittableRandom(7L);
        int refused = 0;
        int bounded = 0;
        for (int trial = 0; trial < 500; trial++) {
            int l0 = 1 + random.nextInt(3);
            int linf = 1 + random.nextInt(3);
            int partitions = 1 + random.nextInt(4);
            List<Visit> visits = visits(random);
            // any arrangement: the valid one, then a unit's rows moved to another partition or another place
            List<List<Visit>> layout = layout(visits, partitions, random);
            for (int moves = random.nextInt(3); moves > 0; moves--) {
                List<Visit> from = layout.get(random.nextInt(partitions));
                if (!from.isEmpty()) {
                    Visit moved = from.remove(random.nextInt(from.size()));
                    List<Visit> to = layout.get(random.nextInt(partitions));
                    to.add(random.nextInt(to.size() + 1), moved);
                }
            }
            SortedUnitBounding bounding = new SortedUnitBounding(l0, linf, SALT, partitions);
            Map<String, Partial> expected = reference(visits, l0, linf);
            try {
                Map<String, Partial> got = run(bounding, layout);
                assertThat(got).as("trial %d", trial).usingRecursiveComparison().withComparatorForType(
                        (a, b) -> Math.abs(a - b) < 1e-9 ? 0 : Double.compare(a, b), Double.class).isEqualTo(expected);
                bounded++;
            } catch (SortedUnitBounding.LayoutViolation refusal) {
                refused++;
            }
        }
        assertThat(refused).as("layouts refused").isGreaterThan(50);
        assertThat(bounded).as("layouts bounded").isGreaterThan(50);
    }

    @Test
    void bound_unitInTwoPartitions_refuses() {
        long unit = 3;
        int home = Math.floorMod(Murmur3_x86_32.hashLong(unit, 42), 2);
        SortedUnitBounding bounding = new SortedUnitBounding(1, 1, SALT, 2);
        assertThat(run(bounding, partitionOf(home, 2, new Visit(unit, "a", 1.0)))).hasSize(1);
        assertThatThrownBy(() -> run(bounding, partitionOf(1 - home, 2, new Visit(unit, "a", 1.0))))
                .isInstanceOf(SortedUnitBounding.LayoutViolation.class).hasMessageNotContaining("3");
    }

    @Test
    void bound_unitInTwoRunsOfOnePartition_refuses() {
        SortedUnitBounding bounding = new SortedUnitBounding(1, 1, SALT, 1);
        assertThatThrownBy(() -> run(bounding, List.of(new ArrayList<>(List.of(new Visit(1, "a", 1.0),
                new Visit(2, "a", 1.0), new Visit(1, "b", 1.0))))))
                .isInstanceOf(SortedUnitBounding.LayoutViolation.class).hasMessageContaining("not sorted");
    }

    @Test
    void bound_keyedHash_isSparksXxhash64OfSaltUnitAndKey() {
        // the pass must keep the groups the SQL rewrite keeps: the same hash as xxhash64(salt, unit, key) in Spark
        SplittableRandom random = new SplittableRandom(1L);
        for (int i = 0; i < 50; i++) {
            long unit = random.nextLong();
            String key = i == 0 ? null : "k" + random.nextInt(1000) + "é";
            long spark = (long) new XxHash64(scala.jdk.javaapi.CollectionConverters.asScala(List.<org.apache.spark.sql.catalyst.expressions.Expression>of(
                    Literal.create(SALT, org.apache.spark.sql.types.DataTypes.LongType),
                    Literal.create(unit, org.apache.spark.sql.types.DataTypes.LongType),
                    Literal.create(key, org.apache.spark.sql.types.DataTypes.StringType))).toSeq(), 42L)
                    .eval(null);
            assertThat(SortedUnitBounding.keyedHash(SALT, unit, UTF8String.fromString(key))).isEqualTo(spark);
        }
    }

    private static List<Visit> visits(SplittableRandom random) {
        List<Visit> visits = new ArrayList<>();
        int units = 1 + random.nextInt(12);
        for (int u = 0; u < units; u++) {
            long unit = random.nextInt(1000) - 500;
            int groups = 1 + random.nextInt(6);
            for (int r = 1 + random.nextInt(8); r > 0; r--) {
                int group = random.nextInt(groups + 1); // the extra group is the NULL key
                visits.add(new Visit(unit, group == groups ? null : "g" + group, random.nextInt(5) == 0 ? null
                        : (double) random.nextInt(100)));
            }
        }
        return visits;
    }

    /** The layout the bounding expects: each unit in its hash partition, units in order, a unit's rows shuffled. */
    private static List<List<Visit>> layout(List<Visit> visits, int partitions, SplittableRandom random) {
        List<Visit> shuffled = new ArrayList<>(visits);
        Collections.shuffle(shuffled, new Random(random.nextLong()));
        shuffled.sort(Comparator.comparingLong(Visit::unit)); // stable: a unit's rows stay shuffled
        List<List<Visit>> layout = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            layout.add(new ArrayList<>());
        }
        for (Visit visit : shuffled) {
            layout.get(Math.floorMod(Murmur3_x86_32.hashLong(visit.unit(), 42), partitions)).add(visit);
        }
        return layout;
    }

    private static List<List<Visit>> partitionOf(int partition, int partitions, Visit... visits) {
        List<List<Visit>> layout = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            layout.add(p == partition ? new ArrayList<>(List.of(visits)) : new ArrayList<>());
        }
        return layout;
    }

    /** Runs every partition and merges the partials by group, as Spark's GROUP BY group does. */
    private static Map<String, Partial> run(SortedUnitBounding bounding, List<List<Visit>> layout) {
        Map<String, Partial> merged = new HashMap<>();
        for (int p = 0; p < layout.size(); p++) {
            Iterator<InternalRow> rows = layout.get(p).stream().map(v -> (InternalRow) new GenericInternalRow(
                    new Object[] {v.unit(), UTF8String.fromString(v.group()), v.value()})).iterator();
            for (Iterator<Row> out = bounding.bound(p, rows); out.hasNext(); ) {
                Row row = out.next();
                double sum = row.isNullAt(2) ? 0 : row.getDouble(2);
                merged.merge(row.getString(0), new Partial(row.getLong(1), sum, row.getLong(3)),
                        (a, b) -> new Partial(a.n() + b.n(), a.sum() + b.sum(), a.units() + b.units()));
            }
        }
        return merged;
    }

    /** Per unit: its groups ordered by (keyed hash, key), the first L0 kept, each capped at Linf rows. */
    private static Map<String, Partial> reference(List<Visit> visits, int l0, int linf) {
        Map<Long, Map<String, List<Visit>>> units = new HashMap<>();
        for (Visit visit : visits) {
            units.computeIfAbsent(visit.unit(), u -> new HashMap<>()).computeIfAbsent(visit.group(),
                    g -> new ArrayList<>()).add(visit);
        }
        Map<String, Partial> expected = new HashMap<>();
        units.forEach((unit, groups) -> {
            List<String> order = new ArrayList<>(groups.keySet());
            order.sort(Comparator.<String>comparingLong(
                    g -> SortedUnitBounding.keyedHash(SALT, unit, UTF8String.fromString(g)))
                    .thenComparing(Comparator.nullsLast(Comparator.<String>naturalOrder())));
            for (String group : order.subList(0, Math.min(l0, order.size()))) {
                List<Visit> rows = groups.get(group);
                long values = rows.stream().filter(v -> v.value() != null).count();
                double sum = rows.stream().filter(v -> v.value() != null).mapToDouble(Visit::value).sum();
                Partial partial = new Partial(Math.min(rows.size(), linf), values > linf ? sum / values * linf : sum, 1);
                expected.merge(group, partial,
                        (a, b) -> new Partial(a.n() + b.n(), a.sum() + b.sum(), a.units() + b.units()));
            }
        });
        return expected;
    }

    @Test
    void bound_moreValuesThanLinf_keepsTheMeanTimesLinf() {
        SortedUnitBounding bounding = new SortedUnitBounding(1, 2, SALT, 1);
        Map<String, Partial> got = run(bounding, List.of(new ArrayList<>(List.of(new Visit(5, "a", 1.0),
                new Visit(5, "a", 2.0), new Visit(5, "a", 3.0), new Visit(5, "a", 6.0)))));
        assertThat(got.get("a").n()).isEqualTo(2);
        assertThat(got.get("a").sum()).isCloseTo(6.0, within(1e-12));
    }
}
