package org.datasandbox.core.dprelease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import java.util.Spliterators;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.XxHash64Function$;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.UnitRows;
import org.junit.jupiter.api.Test;

/**
 * The pass alone: its in-place key compare is gated by the key's hash (collisions), short keys are matched as packed
 * words (against an independent bounding written from the rule: per unit the L0 groups of smallest
 * {@code xxhash64(salt, unit, keys..)} by Spark's own function, ties by the keys, Linf per group).
 */
class UnitBoundingPassTest {
    private static final DataType[] TYPES = {
        DataTypes.StringType, DataTypes.IntegerType, DataTypes.LongType, DataTypes.LongType};

    @Test
    void bound_groupsWhoseKeysHashAlike_stayApart() {
        // two keys of one length whose bytes' murmur3 (UTF8String.hashCode) collide, found by a birthday search
        UTF8String a = UTF8String.fromString("k1007156");
        UTF8String b = UTF8String.fromString("k1106312");
        int ai = 7;
        int bi = 7;
        assertThat(b.hashCode()).isEqualTo(a.hashCode());
        assertThat(b).isNotEqualTo(a);
        assertThat(twoGroups(a, ai, b, bi)).containsOnly(
                Map.entry("k1007156/" + ai, List.of(2L, 2L)), Map.entry("k1106312/" + bi, List.of(2L, 1L)));
    }

    @Test
    void bound_longKeysWhoseBytesHashAlike_stayApart() {
        // 12 bytes: too long to pack, so these are told apart by the byte compare behind the equal murmur3
        UTF8String a = UTF8String.fromString("key-10039168");
        UTF8String b = UTF8String.fromString("key-10066772");
        assertThat(b.hashCode()).isEqualTo(a.hashCode());
        assertThat(twoGroups(a, 7, b, 7)).containsOnly(
                Map.entry("key-10039168/7", List.of(2L, 2L)), Map.entry("key-10066772/7", List.of(2L, 1L)));
    }

    /**
     * The partials of units 1 and 2 over groups (a, ai) and (b, bi): unit 1 in both, unit 2 in the first only;
     * keyed by "key/int", each value (count, units).
     */
    private static Map<String, List<Object>> twoGroups(UTF8String a, int ai, UTF8String b, int bi) {
        UnsafeProjection project = UnsafeProjection.create(TYPES);
        List<InternalRow> rows = List.of(
                project.apply(new GenericInternalRow(new Object[] {a, ai, 1L, 1L})).copy(),
                project.apply(new GenericInternalRow(new Object[] {b, bi, 1L, 1L})).copy(),
                project.apply(new GenericInternalRow(new Object[] {b, bi, 1L, 1L})).copy(),
                project.apply(new GenericInternalRow(new Object[] {a, ai, 2L, 1L})).copy());
        UnitRows plan = new UnitRows("SELECT 1", 2, List.of(DpAggregate.Kind.COUNT), 4, 3, 11L);
        UnitBoundingPass pass = new UnitBoundingPass(plan, List.of(DataTypes.StringType, DataTypes.IntegerType),
                DataTypes.LongType, 1);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pass.bound(0, rows.iterator()), 0), false)
                .collect(Collectors.toMap(r -> r.getString(0) + "/" + r.getInt(1),
                        (Row r) -> List.of(r.get(2), r.get(3))));
    }

    private static final DataType[] GENERATED = {
        DataTypes.StringType, DataTypes.IntegerType, DataTypes.LongType, DataTypes.LongType, DataTypes.DoubleType};
    private static final int L0 = 3;
    private static final int LINF = 2;

    @Test
    void bound_generatedUnits_equalIndependentBounding() {
        // (keys.., unit, COUNT's value, SUM's value) as the rewrite projects them; strings of 0 to 12 bytes (packed up to 8, compared by bytes beyond), multi-byte ones, NULLs in both keys;
        // units with fewer, exactly L0, L0 + 1 and many groups, each group's rows split and interleaved so a group
        // comes back after others; UnsafeRows and GenericInternalRows mixed (a word read from the row and one built
        // byte by byte must be the same group)
        SplittableRandom random = new SplittableRandom(25);
        List<UTF8String> strings = new ArrayList<>();
        strings.add(null);
        for (int n = 0; n <= 12; n++) {
            strings.add(UTF8String.fromString("s".repeat(n)));
            strings.add(UTF8String.fromString("t".repeat(Math.max(0, n - 1)) + "\u00e9")); // the last byte >= 0x80
        }
        UnsafeProjection project = UnsafeProjection.create(GENERATED);
        List<InternalRow> rows = new ArrayList<>();
        List<Object[]> cells = new ArrayList<>();
        int[] sizes = {1, L0 - 1, L0, L0 + 1, L0 + 4};
        for (long unit = 0; unit < 400; unit++) {
            int groups = sizes[(int) (unit % sizes.length)];
            List<Object[]> unitRows = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                UTF8String a = strings.get(random.nextInt(strings.size()));
                Integer b = random.nextInt(6) == 0 ? null : random.nextInt(3);
                for (int r = 1 + random.nextInt(4); r > 0; r--) {
                    unitRows.add(new Object[] {a, b, unit, 1L, (double) random.nextInt(100)});
                }
            }
            java.util.Collections.shuffle(unitRows, new java.util.Random(random.nextLong()));
            for (Object[] c : unitRows) {
                cells.add(c);
                InternalRow row = new GenericInternalRow(c.clone());
                rows.add(random.nextBoolean() ? project.apply(row).copy() : row);
            }
        }
        long salt = 8699989649721214301L;
        UnitRows plan = new UnitRows("SELECT 1", 2, List.of(DpAggregate.Kind.COUNT, DpAggregate.Kind.SUM), L0, LINF,
                salt);
        UnitBoundingPass pass = new UnitBoundingPass(plan, List.of(DataTypes.StringType, DataTypes.IntegerType),
                DataTypes.LongType, 1);

        Map<List<Object>, List<Object>> out = new HashMap<>();
        pass.bound(0, rows.iterator()).forEachRemaining(r -> assertThat(out.put(
                java.util.Arrays.asList(r.get(0), r.get(1)), List.of(r.get(2), round(r.getDouble(3)), r.get(4))))
                .as("one row per group").isNull());

        assertThat(out).isEqualTo(reference(cells, salt));
    }

    /** The bounding as its rule states it, over boxed values and Spark's xxhash64 per value (no packing, no slots). */
    private static Map<List<Object>, List<Object>> reference(List<Object[]> cells, long salt) {
        long saltHash = XxHash64Function$.MODULE$.hash(salt, DataTypes.LongType, 42);
        Map<Long, Map<List<Object>, List<Double>>> byUnit = new LinkedHashMap<>();
        for (Object[] c : cells) {
            List<Object> key = java.util.Arrays.asList(c[0] == null ? null : c[0].toString(), c[1]);
            byUnit.computeIfAbsent((Long) c[2], u -> new LinkedHashMap<>())
                    .computeIfAbsent(key, k -> new ArrayList<>()).add((Double) c[4]);
        }
        Comparator<Object> nullsLast = Comparator.nullsLast((x, y) -> x instanceof String s
                ? UTF8String.fromString(s).compareTo(UTF8String.fromString((String) y))
                : Integer.compare((Integer) x, (Integer) y));
        Map<List<Object>, double[]> groups = new HashMap<>();
        byUnit.forEach((unit, values) -> {
            long unitHash = XxHash64Function$.MODULE$.hash(unit, DataTypes.LongType, saltHash);
            Map<List<Object>, Long> hashes = new HashMap<>();
            for (List<Object> key : values.keySet()) {
                long h = unitHash;
                if (key.get(0) != null) {
                    h = XxHash64Function$.MODULE$.hash(UTF8String.fromString((String) key.get(0)),
                            DataTypes.StringType, h);
                }
                if (key.get(1) != null) {
                    h = XxHash64Function$.MODULE$.hash(key.get(1), DataTypes.IntegerType, h);
                }
                hashes.put(key, h);
            }
            values.keySet().stream()
                    .sorted(Comparator.<List<Object>>comparingLong(hashes::get)
                            .thenComparing(k -> k.get(0), nullsLast).thenComparing(k -> k.get(1), nullsLast))
                    .limit(L0)
                    .forEach(key -> {
                        List<Double> xs = values.get(key);
                        double sum = xs.stream().mapToDouble(Double::doubleValue).sum();
                        double[] g = groups.computeIfAbsent(key, k -> new double[3]);
                        g[0] += Math.min(xs.size(), LINF);
                        g[1] += xs.size() > LINF ? sum * (LINF / (double) xs.size()) : sum;
                        g[2] += 1;
                    });
        });
        Map<List<Object>, List<Object>> out = new HashMap<>();
        groups.forEach((key, g) -> out.put(key, List.of((long) g[0], round(g[1]), (long) g[2])));
        return out;
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
