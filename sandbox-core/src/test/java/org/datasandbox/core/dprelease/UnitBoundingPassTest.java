package org.datasandbox.core.dprelease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import java.util.Spliterators;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.UnitRows;
import org.junit.jupiter.api.Test;

/** The pass alone over UnsafeRows, where its in-place key compare is gated by the key's hash: a collision. */
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
        UnsafeProjection project = UnsafeProjection.create(TYPES);
        List<InternalRow> rows = List.of(
                project.apply(new GenericInternalRow(new Object[] {a, ai, 1L, 1L})).copy(),
                project.apply(new GenericInternalRow(new Object[] {b, bi, 1L, 1L})).copy(),
                project.apply(new GenericInternalRow(new Object[] {b, bi, 1L, 1L})).copy(),
                project.apply(new GenericInternalRow(new Object[] {a, ai, 2L, 1L})).copy());
        UnitRows plan = new UnitRows("SELECT 1", 2, List.of(DpAggregate.Kind.COUNT), 4, 3, 11L);
        UnitBoundingPass pass = new UnitBoundingPass(plan, List.of(DataTypes.StringType, DataTypes.IntegerType),
                DataTypes.LongType, 1);

        Map<String, List<Object>> out = StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(pass.bound(0, rows.iterator()), 0), false)
                .collect(Collectors.toMap(r -> r.getString(0) + "/" + r.getInt(1),
                        (Row r) -> List.of(r.get(2), r.get(3))));

        assertThat(out).containsOnly(
                Map.entry("k1007156/" + ai, List.of(2L, 2L)), Map.entry("k1106312/" + bi, List.of(2L, 1L)));
    }
}
