package org.datasandbox.core.dprelease;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.physical.HashPartitioning;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
import org.apache.spark.sql.catalyst.plans.physical.PartitioningCollection;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.exchange.Exchange;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.DpQuery;
import org.datasandbox.guard.dp.UnitRows;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The DP query's bounded partials from its unit rows in one streaming pass per partition ({@link UnitBoundingPass}),
 * then Spark's GROUP BY of the small per-partition maps: the same frame as the SQL path's ({@code keys..,
 * partials.., __dp_units}) with no shuffle of rows, no hash table of units and no sort, when the originals are
 * stored clustered and sorted by the unit.
 *
 * <p>Taken only where it can be sound and fast: the unit rows' executed plan has no exchange (no shuffle would
 * undo the layout) and reports hash partitioning on the unit alone (the bucketed scan's); the keys and the unit
 * are of types whose Spark order and equality the pass reproduces (no floating point: Spark normalizes -0.0 and
 * NaN in a grouping, the pass would not). Everything else is the SQL path's. Whatever the plan says, the pass
 * checks the layout on every unit and throws {@link LayoutViolation} when it does not hold.
 */
public final class StreamingUnitBounding {
    private StreamingUnitBounding() {
    }

    /**
     * The streaming partials of {@code query}, or empty when its plan has no unit rows or their layout does not
     * let the pass run (then the SQL path is the only one).
     */
    public static Optional<Dataset<Row>> partials(DpQuery query, Function<String, Dataset<Row>> sql) {
        if (query.unitRows().isEmpty()) {
            return Optional.empty();
        }
        UnitRows plan = query.unitRows().get();
        Dataset<Row> rows = sql.apply(plan.sparkSql());
        if (!supported(rows.schema(), plan)) {
            return Optional.empty();
        }
        return clusteredPartitions(rows, plan.keys()).map(n -> partials(query, rows, n));
    }

    /**
     * The streaming partials over rows laid out in {@code partitions} hash partitions of the unit, each sorted by
     * it; no check of the plan (the pass still checks every unit).
     */
    static Dataset<Row> partials(DpQuery query, Dataset<Row> rows, int partitions) {
        UnitRows plan = query.unitRows().orElseThrow();
        StructType schema = rows.schema();
        List<DataType> keyTypes = new ArrayList<>();
        for (int k = 0; k < plan.keys(); k++) {
            keyTypes.add(schema.fields()[k].dataType());
        }
        UnitBoundingPass pass = new UnitBoundingPass(plan, keyTypes, schema.fields()[plan.keys()].dataType(),
                partitions);
        JavaRDD<Row> bounded = rows.queryExecution().toRdd().toJavaRDD().mapPartitionsWithIndex(pass::bound, false);
        List<StructField> fields = new ArrayList<>();
        for (int k = 0; k < plan.keys(); k++) {
            fields.add(DataTypes.createStructField("k" + k, keyTypes.get(k), true));
        }
        List<Column> sums = new ArrayList<>();
        int p = 0;
        for (DpAggregate aggregate : query.aggregates()) {
            // the SQL path's types: counts BIGINT, sums DOUBLE (a mean: its sum, then its count)
            List<DataType> types = switch (aggregate.kind()) {
                case SUM -> List.of(DataTypes.DoubleType);
                case MEAN -> List.of(DataTypes.DoubleType, DataTypes.LongType);
                default -> List.of(DataTypes.LongType);
            };
            for (int c = 0; c < types.size(); c++) {
                fields.add(DataTypes.createStructField("p" + p, types.get(c), false));
                sums.add(functions.sum(functions.col("p" + p)).as(aggregate.partialColumns().get(c)));
                p++;
            }
        }
        fields.add(DataTypes.createStructField("u", DataTypes.LongType, false));
        sums.add(functions.sum(functions.col("u")).as(query.unitCountColumn()));
        Dataset<Row> partial = rows.sparkSession().createDataFrame(bounded, DataTypes.createStructType(fields));
        if (plan.keys() == 0) {
            return partial.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new));
        }
        List<Column> keys = new ArrayList<>();
        for (int k = 0; k < plan.keys(); k++) {
            keys.add(functions.col("k" + k).as(query.groupKeys().get(k)));
        }
        return partial.groupBy(keys.toArray(Column[]::new)).agg(sums.get(0),
                sums.subList(1, sums.size()).toArray(Column[]::new));
    }

    /** The partition count when the rows' plan keeps a hash partitioning on the unit with no exchange. */
    static Optional<Integer> clusteredPartitions(Dataset<Row> rows, int unitColumn) {
        SparkPlan plan = rows.queryExecution().executedPlan();
        if (plan instanceof AdaptiveSparkPlanExec adaptive) {
            plan = adaptive.inputPlan();
        }
        if (hasExchange(plan)) {
            return Optional.empty();
        }
        Attribute unit = plan.output().apply(unitColumn);
        return hashedBy(plan.outputPartitioning(), unit);
    }

    /** The partition count of a hash partitioning on the unit alone (one of a join's, say), if it is one. */
    private static Optional<Integer> hashedBy(Partitioning partitioning, Attribute unit) {
        if (partitioning instanceof PartitioningCollection collection) {
            for (Partitioning each : CollectionConverters.asJava(collection.partitionings())) {
                Optional<Integer> found = hashedBy(each, unit);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }
        if (!(partitioning instanceof HashPartitioning hash) || hash.expressions().size() != 1) {
            return Optional.empty();
        }
        Expression on = hash.expressions().head();
        if (on instanceof Attribute attribute && attribute.exprId().equals(unit.exprId())) {
            return Optional.of(hash.numPartitions());
        }
        return Optional.empty();
    }

    private static boolean hasExchange(SparkPlan plan) {
        if (plan instanceof Exchange) {
            return true;
        }
        for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
            if (hasExchange(child)) {
                return true;
            }
        }
        return false;
    }

    /** Keys and unit of types the pass orders and compares as Spark does; values as the rewrite clamps them. */
    static boolean supported(StructType schema, UnitRows plan) {
        StructField[] fields = schema.fields();
        if (fields.length != plan.keys() + 1 + plan.kinds().size()) {
            return false;
        }
        for (int c = 0; c <= plan.keys(); c++) {
            if (!orderable(fields[c].dataType())) {
                return false;
            }
        }
        for (int v = 0; v < plan.kinds().size(); v++) {
            DpAggregate.Kind kind = plan.kinds().get(v);
            boolean summed = kind == DpAggregate.Kind.SUM || kind == DpAggregate.Kind.MEAN;
            if (summed && !(fields[plan.keys() + 1 + v].dataType() instanceof org.apache.spark.sql.types.DoubleType)) {
                return false;
            }
        }
        return true;
    }

    private static boolean orderable(DataType type) {
        return type instanceof BooleanType || type instanceof ByteType || type instanceof ShortType
                || type instanceof IntegerType || type instanceof LongType || type instanceof DateType
                || type instanceof TimestampType || type instanceof TimestampNTZType || type instanceof DecimalType
                || type instanceof StringType string && string.equals(DataTypes.StringType);
    }
}
