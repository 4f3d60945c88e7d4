package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.StructField;
import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.function.MaskingFunction;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.masking.policy.ColumnMasking;
import org.datasandbox.masking.policy.MaskingPolicy;

/**
 * Draws a masked sample of an original table on Spark: keeps the rows of a hash-selected share of
 * privacy units, then masks every column with its policy function. Columns the policy does not mention
 * are dropped. The originals never leave Spark; only the masked sample is returned.
 */
public final class MaskedSampleGenerator {
    private static final long HASH_BUCKETS = 1_000_000L;

    private MaskedSampleGenerator() {
    }

    public static Dataset<Row> sample(Dataset<Row> originals, MaskingPolicy policy, SampleSpec spec) {
        Column unit = col(spec.privacyUnit()).cast("string");
        long threshold = Math.round(spec.fraction() * HASH_BUCKETS);
        Dataset<Row> selected = spec.fraction() >= 1 ? originals
                : originals.where(pmod(xxhash64(lit(spec.seed()), unit), lit(HASH_BUCKETS)).lt(threshold));
        return mask(selected, policy);
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
        UserDefinedFunction udf = udf((UDF1<Object, Object>) function::mask,
                SparkValueTypes.toSpark(masking.outputType()));
        return udf.apply(col(field.name())).as(field.name());
    }
}
