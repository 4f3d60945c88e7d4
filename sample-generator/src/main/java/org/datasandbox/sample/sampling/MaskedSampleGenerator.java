package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.StructField;
import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.function.DateTruncate;
import org.datasandbox.masking.function.Ff1Mask;
import org.datasandbox.masking.function.Keep;
import org.datasandbox.masking.function.KeyedPseudonym;
import org.datasandbox.masking.function.MaskingFunction;
import org.datasandbox.masking.function.Nullify;
import org.datasandbox.masking.function.Redact;
import org.datasandbox.masking.function.ResidentIdToken;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.masking.policy.ColumnMasking;
import org.datasandbox.masking.policy.MaskingPolicy;

/**
 * Draws a masked sample of an original table on Spark: keeps the rows of a hash-selected share of
 * privacy units (overall or per stratum), masks every column with its policy function and shuffles the rows. Columns the
 * policy does not mention are dropped. The originals never leave Spark; only the masked sample is returned.
 */
public final class MaskedSampleGenerator {
    private static final long HASH_BUCKETS = 1_000_000L;
    /** The column of selected privacy units. */
    public static final String UNIT = "__unit";
    private static final String STRATUM = "__stratum";
    private static final String HASH = "__hash";
    private static final String RANK = "__rank";
    private static final String SIZE = "__size";

    private MaskedSampleGenerator() {
    }

    public static Dataset<Row> sample(Dataset<Row> originals, MaskingPolicy policy, SampleSpec spec) {
        return shuffle(mask(select(originals, spec), policy), spec.seed());
    }

    /**
     * The rows in an order drawn from {@code seed}: the originals' order (by registration, by id, by
     * district) must not survive into a sample, where it would tell neighbours in the originals apart.
     * Every row is ordered by a keyed hash of the whole row, a function of the row and the seed alone
     * (deterministic, so safe on task retries, unlike rand). The order is global only over one partition:
     * sorted per input partition, each output file would hold exactly the rows of one split of the originals
     * (contiguous chunks of their registration order). So rows that already come as one small partition (one
     * input split, and Spark's size estimate at most {@code spark.sql.files.maxPartitionBytes}, as a sample of
     * a few thousand people from one file does) are sorted on that one task, with no exchange; all others take
     * one exchange by the hash and a sort within each of its partitions (bringing several partitions onto one
     * task would serialize a large sample on one core: SampleBenchmark's million rows took 1.5x as long).
     * Both paths give the same order (the one task sorts by the exchange's partition first), rows of equal hash
     * are ordered by their content, so the order is a function of the rows as a multiset and the seed: the
     * originals' layout (one file, many, bucketed by the unit) picks a path but never changes the order.
     */
    public static Dataset<Row> shuffle(Dataset<Row> rows, long seed) {
        Column[] all = new Column[rows.columns().length + 1];
        all[0] = lit(seed);
        for (int i = 0; i < rows.columns().length; i++) {
            all[i + 1] = col(rows.columns()[i]);
        }
        // the hash is an expression of both the exchange and the sort, not a column: the exchange moves only the
        // rows (a sixth fewer bytes) and no projection copies every sorted row again to drop it
        Column order = xxhash64(all);
        // the exchange's partition count (AQE only merges neighbours, which keeps their order)
        int partitions = rows.sparkSession().sessionState().conf().numShufflePartitions();
        // the exchange's partition of a row first (Spark places it by pmod(murmur3(key), partitions)): the one task
        // then orders rows as the exchange's partitions one after the other, and a partition AQE merges from
        // neighbours (as the map outputs' sizes, which follow the layout, decide) keeps that order too
        // one long of the partition above the hash's high bits: Spark's sort compares a long prefix of its first key,
        // which a partition number alone would leave tied for every row of a partition
        int bits = 64 - Long.numberOfLeadingZeros(partitions);
        Column partition = pmod(org.apache.spark.sql.functions.hash(order), lit(partitions)).cast("long");
        List<Column> sort = new ArrayList<>();
        sort.add(org.apache.spark.sql.functions.shiftleft(partition, 63 - bits)
                .bitwiseOR(org.apache.spark.sql.functions.shiftrightunsigned(order, bits + 1)));
        sort.add(order);
        sort.addAll(contentOrder(rows));
        if (fitsOnePartition(rows)) {
            return rows.coalesce(1).sortWithinPartitions(sort.toArray(Column[]::new));
        }
        return rows.repartition(order).sortWithinPartitions(sort.toArray(Column[]::new));
    }

    /** Every orderable column: rows of equal hashes (equal rows, or a 64-bit collision) are ordered by their content. */
    private static List<Column> contentOrder(Dataset<Row> rows) {
        List<Column> columns = new ArrayList<>();
        for (StructField field : rows.schema().fields()) {
            if (org.apache.spark.sql.catalyst.expressions.RowOrdering.isOrderable(field.dataType())) {
                columns.add(col(field.name()));
            }
        }
        return columns;
    }

    /** Whether {@code rows} come as one partition that Spark estimates at most one file partition's bytes. */
    static boolean fitsOnePartition(Dataset<Row> rows) {
        long partitionBytes = rows.sparkSession().sessionState().conf().filesMaxPartitionBytes();
        scala.math.BigInt estimate = rows.queryExecution().optimizedPlan().stats().sizeInBytes();
        // counting the partitions of a plan with an exchange runs its shuffle stages once more: only small inputs get here
        return estimate.compare(scala.math.BigInt.apply(partitionBytes)) <= 0 && rows.rdd().getNumPartitions() == 1;
    }

    /**
     * Parquet write options for a masked sample: no dictionary encoding for a column whose mask is a keyed
     * bijection (a pseudonym, an FF1 or resident-ID token). Such a column has as many values as the originals'
     * column, one per row on a person table, so Parquet's writer would build a dictionary of every value, find it
     * too large and write the values plain anyway (14% of SampleBenchmark's masked path went to dictionary
     * encoding). Encoding is a matter of file size and speed only: the values written are the same.
     */
    public static Map<String, String> parquetOptions(MaskingPolicy policy) {
        Map<String, String> options = new LinkedHashMap<>();
        for (ColumnMasking column : policy.columns()) {
            MaskingFunction function = column.function();
            if (function instanceof KeyedPseudonym || function instanceof Ff1Mask || function instanceof ResidentIdToken) {
                options.put("parquet.enable.dictionary#" + column.column(), "false");
            }
        }
        return Map.copyOf(options);
    }

    /** The rows of the privacy units the spec keeps, unmasked. */
    public static Dataset<Row> select(Dataset<Row> originals, SampleSpec spec) {
        if (spec.fraction() >= 1) {
            return originals;
        }
        if (spec.stratified()) {
            return keepUnits(originals, spec.privacyUnit(), selectedUnits(originals, spec));
        }
        long threshold = Math.round(spec.fraction() * HASH_BUCKETS);
        return originals.where(pmod(hash(spec), lit(HASH_BUCKETS)).lt(threshold));
    }

    /**
     * Stratified selection: in each stratum (units are placed by their smallest stratum value), the
     * {@code ceil(fraction × units)} units with the smallest keyed hashes, as one column {@value #UNIT}.
     */
    public static Dataset<Row> selectedUnits(Dataset<Row> originals, SampleSpec spec) {
        Dataset<Row> units = originals.where(col(spec.privacyUnit()).isNotNull())
                .groupBy(col(spec.privacyUnit()).as(UNIT)).agg(min(col(spec.stratifyBy())).as(STRATUM))
                .withColumn(HASH, xxhash64(lit(spec.seed()), col(UNIT).cast("string")));
        return units.withColumn(RANK, row_number().over(Window.partitionBy(col(STRATUM)).orderBy(col(HASH), col(UNIT))))
                .withColumn(SIZE, count(lit(1)).over(Window.partitionBy(col(STRATUM))))
                .where(col(RANK).leq(ceil(col(SIZE).multiply(lit(spec.fraction())))))
                .select(col(UNIT));
    }

    /** The rows of {@code originals} whose privacy unit is among {@code units} (a column {@value #UNIT}). */
    public static Dataset<Row> keepUnits(Dataset<Row> originals, String privacyUnit, Dataset<Row> units) {
        return originals.join(units, originals.col(privacyUnit).equalTo(units.col(UNIT)), "left_semi");
    }

    private static Column hash(SampleSpec spec) {
        return xxhash64(lit(spec.seed()), col(spec.privacyUnit()).cast("string"));
    }

    /** Masks every column the policy names and drops the rest. */
    public static Dataset<Row> mask(Dataset<Row> rows, MaskingPolicy policy) {
        List<Column> masked = new ArrayList<>();
        for (StructField field : rows.schema().fields()) {
            policy.column(field.name()).ifPresent(masking -> masked.add(maskColumn(field, masking)));
        }
        if (masked.isEmpty()) {
            throw new MaskingException("the policy of " + policy.table() + " masks no column of the table");
        }
        return rows.select(masked.toArray(Column[]::new));
    }

    private static Column maskColumn(StructField field, ColumnMasking masking) {
        ValueType type = SparkValueTypes.of(field.dataType()).orElseThrow(() ->
                new MaskingException("column " + field.name() + " has a type masking does not support"));
        if (type != masking.inputType()) {
            throw new MaskingException("column " + field.name() + " is " + type + " but its policy expects " + masking.inputType());
        }
        MaskingFunction function = masking.function();
        // Functions Spark expresses itself skip the UDF's conversion of every value to Java and back.
        if (function instanceof Keep) {
            return col(field.name());
        }
        if (function instanceof Nullify) {
            return lit(null).cast(field.dataType()).as(field.name());
        }
        if (function instanceof Redact redact) {
            return when(col(field.name()).isNotNull(), lit(redact.marker())).as(field.name());
        }
        // Timestamps take the UDF: Spark's date_trunc works in the session's time zone, the mask in UTC.
        if (function instanceof DateTruncate truncate && type == ValueType.DATE) {
            return trunc(col(field.name()), truncate.unit().name().toLowerCase(Locale.ROOT)).as(field.name());
        }
        UserDefinedFunction udf = udf((UDF1<Object, Object>) function::mask,
                SparkValueTypes.toSpark(masking.outputType()));
        return udf.apply(col(field.name())).as(field.name());
    }
}
