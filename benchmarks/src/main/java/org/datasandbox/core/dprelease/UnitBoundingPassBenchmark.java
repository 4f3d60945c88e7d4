package org.datasandbox.core.dprelease;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.UnitRows;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link UnitBoundingPass} alone, without Spark's scan, planning or shuffle: {@code rows} unit rows of
 * {@code DpGroupByBenchmark}'s production query ({@code hospital, person_id, cost} as the rewrite projects them:
 * five visits per person in five of 23 hospitals, so every unit has more groups than L0 = 4, Linf = 3), as
 * UnsafeRows sorted by the unit in one partition. {@code readFloor} reads every row's unit, key and values and does
 * nothing else: {@code pass / readFloor} is the pass's own per-row cost over the least any pass must read, and it
 * holds still on a loaded machine better than the end-to-end rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UnitBoundingPassBenchmark {
    @Param("1000000")
    public int rows;

    private UnsafeRow[] unitRows;
    private UnitBoundingPass pass;

    @Setup(Level.Trial)
    public void rows() {
        long persons = Math.max(1, rows / 5);
        List<DataType> types = List.of(DataTypes.StringType, DataTypes.LongType, DataTypes.LongType,
                DataTypes.DoubleType);
        UnsafeProjection project = UnsafeProjection.create(types.toArray(DataType[]::new));
        unitRows = new UnsafeRow[rows];
        for (int id = 0; id < rows; id++) {
            long person = id * 2654435761L % persons;
            GenericInternalRow row = new GenericInternalRow(new Object[] {
                    UTF8String.fromString("h" + id % 23), person, 1L, (double) (id * 31L % 12000)});
            unitRows[id] = project.apply(row).copy();
        }
        Arrays.sort(unitRows, (a, b) -> Long.compare(a.getLong(1), b.getLong(1)));
        for (int r = 0; r < rows; r++) { // copied in order: consecutive rows lie together, as in a scan's buffer
            unitRows[r] = unitRows[r].copy();
        }
        UnitRows plan = new UnitRows("SELECT 1", 1, List.of(DpAggregate.Kind.COUNT, DpAggregate.Kind.SUM), 4, 3,
                8699989649721214301L);
        pass = new UnitBoundingPass(plan, List.of(DataTypes.StringType), DataTypes.LongType, 1);
    }

    @Benchmark
    public int pass() {
        Iterator<Row> out = pass.bound(0, Arrays.<InternalRow>asList(unitRows).iterator());
        int groups = 0;
        while (out.hasNext()) {
            out.next();
            groups++;
        }
        return groups;
    }

    @Benchmark
    public double readFloor() {
        double sum = 0;
        long units = 0;
        long last = Long.MIN_VALUE;
        for (UnsafeRow row : unitRows) {
            long unit = row.getLong(1);
            units += unit != last ? 1 : 0;
            last = unit;
            sum += row.getUTF8String(0).numBytes() + row.getLong(2) + row.getDouble(3);
        }
        return sum + units;
    }
}
