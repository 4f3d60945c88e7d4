package org.datasandbox.guard.dp;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.MutableAggregationBuffer;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@link UnitBoundingAggregator}'s bounding with a fixed-width state, so that Spark plans a (Tungsten, not
 * code-generated) {@code HashAggregate} that spills by sorting only under memory pressure, instead of an
 * {@code ObjectHashAggregate} that sorts past 128 units per task. The buffer is L0 slots of (hash, group id,
 * count, sum) plus the slots in use: flat LONG and DOUBLE fields, as UnsafeRow can update in place. A string key
 * cannot live in it, so the group is identified by a 64-bit unsalted hash of its key and named again after the
 * aggregation by group (a join with the keys' hashes). Only the legacy {@code UserDefinedAggregateFunction} gives
 * Spark a buffer schema of its own; {@code functions.udaf}'s {@code Aggregator} is always an object aggregate.
 * Input: (salted hash, group id, clamped value or NULL); output: array of (group id, capped count, capped sum).
 */
@SuppressWarnings("deprecation")
public final class FixedWidthUnitBounding extends org.apache.spark.sql.expressions.UserDefinedAggregateFunction {
    private static final int FIELDS = 4;
    private final int l0;
    private final int linf;

    public FixedWidthUnitBounding(int l0, int linf) {
        if (l0 < 1 || linf < 1) {
            throw new IllegalArgumentException("L0 and Linf must be at least 1");
        }
        this.l0 = l0;
        this.linf = linf;
    }

    @Override
    public StructType inputSchema() {
        return new StructType().add("hash", DataTypes.LongType).add("group", DataTypes.LongType)
                .add("value", DataTypes.DoubleType);
    }

    @Override
    public StructType bufferSchema() {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("used", DataTypes.IntegerType, false));
        for (int i = 0; i < l0; i++) {
            fields.add(DataTypes.createStructField("h" + i, DataTypes.LongType, false));
            fields.add(DataTypes.createStructField("g" + i, DataTypes.LongType, false));
            fields.add(DataTypes.createStructField("n" + i, DataTypes.LongType, false));
            fields.add(DataTypes.createStructField("s" + i, DataTypes.DoubleType, false));
        }
        return DataTypes.createStructType(fields);
    }

    @Override
    public DataType dataType() {
        return DataTypes.createArrayType(new StructType().add("g", DataTypes.LongType, false)
                .add("n", DataTypes.LongType, false).add("s", DataTypes.DoubleType, false), false);
    }

    @Override
    public boolean deterministic() {
        return true;
    }

    @Override
    public void initialize(MutableAggregationBuffer buffer) {
        buffer.update(0, 0);
        for (int i = 1; i <= l0 * FIELDS; i++) {
            buffer.update(i, i % FIELDS == 0 ? (Object) 0.0 : (Object) 0L);
        }
    }

    @Override
    public void update(MutableAggregationBuffer buffer, Row input) {
        boolean counted = !input.isNullAt(2);
        add(buffer, input.getLong(0), input.getLong(1), counted ? 1 : 0, counted ? input.getDouble(2) : 0);
    }

    @Override
    public void merge(MutableAggregationBuffer buffer, Row other) {
        int used = other.getInt(0);
        for (int i = 0; i < used; i++) {
            int at = 1 + i * FIELDS;
            add(buffer, other.getLong(at), other.getLong(at + 1), other.getLong(at + 2), other.getDouble(at + 3));
        }
    }

    /** As {@link UnitBoundingAggregator}: the slot of the group, a free slot, or the largest slot if larger. */
    private void add(MutableAggregationBuffer b, long hash, long group, long count, double sum) {
        int used = b.getInt(0);
        int largest = -1;
        for (int i = 0; i < used; i++) {
            int at = 1 + i * FIELDS;
            long h = b.getLong(at);
            long g = b.getLong(at + 1);
            if (h == hash && g == group) {
                b.update(at + 2, b.getLong(at + 2) + count);
                b.update(at + 3, b.getDouble(at + 3) + sum);
                return;
            }
            if (largest < 0 || before(b.getLong(1 + largest * FIELDS), b.getLong(2 + largest * FIELDS), h, g)) {
                largest = i;
            }
        }
        if (used < l0) {
            largest = used;
            b.update(0, used + 1);
        } else if (!before(hash, group, b.getLong(1 + largest * FIELDS), b.getLong(2 + largest * FIELDS))) {
            return;
        }
        int at = 1 + largest * FIELDS;
        b.update(at, hash);
        b.update(at + 1, group);
        b.update(at + 2, count);
        b.update(at + 3, sum);
    }

    private static boolean before(long hash, long group, long otherHash, long otherGroup) {
        return hash < otherHash || hash == otherHash && group < otherGroup;
    }

    @Override
    public Object evaluate(Row buffer) {
        int used = buffer.getInt(0);
        List<Row> kept = new ArrayList<>(used);
        for (int i = 0; i < used; i++) {
            int at = 1 + i * FIELDS;
            long n = buffer.getLong(at + 2);
            double s = buffer.getDouble(at + 3);
            kept.add(n > linf ? RowFactory.create(buffer.getLong(at + 1), (long) linf, s * linf / n)
                    : RowFactory.create(buffer.getLong(at + 1), n, s));
        }
        return scala.jdk.javaapi.CollectionConverters.asScala(kept).toSeq();
    }
}
