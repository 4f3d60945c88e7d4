package org.datasandbox.sample.sampling;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Finds the columns outside the policy's attacker-known roles whose masked values still single people out:
 * a column is identifying when some sample row's masked value is shared by fewer than k people among the
 * originals masked the same way (a phone masked to {@code 138****5678}, a rare surname). Those join the
 * attacker-known columns. Columns whose mask the attacker cannot compute (keyed) are not candidates.
 */
public final class UniquenessScan {
    private static final String NULL_KEY = "\u0000null";

    private UniquenessScan() {
    }

    /** The candidates, in their order, whose masked values in {@code sample} are rarer than k people in {@code population}. */
    public static List<String> identifying(Dataset<Row> sample, Dataset<Row> population, String unit,
                                           List<String> candidates, int k) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        Dataset<Row> counts = stacked(population, unit, candidates).groupBy("c", "v").agg(countDistinct(col("u")).as("n"));
        Dataset<Row> seen = stacked(sample, unit, candidates).select("c", "v").distinct();
        List<Row> rarest = seen.join(counts, seen.col("c").equalTo(counts.col("c")).and(seen.col("v").equalTo(counts.col("v"))), "left")
                .groupBy(seen.col("c")).agg(min(when(counts.col("n").isNull(), lit(0L)).otherwise(counts.col("n"))).as("rarest"))
                .collectAsList();
        List<Integer> flagged = new ArrayList<>();
        for (Row row : rarest) {
            if (row.getLong(1) < k) {
                flagged.add(row.getInt(0));
            }
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (flagged.contains(i)) {
                result.add(candidates.get(i));
            }
        }
        return result;
    }

    /** One row per (column index, value as text, unit) over the candidates. */
    private static Dataset<Row> stacked(Dataset<Row> rows, String unit, List<String> candidates) {
        List<Column> columns = new ArrayList<>();
        columns.add(col(unit).as("u"));
        StringBuilder stack = new StringBuilder("stack(").append(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Column value = col(candidates.get(i));
            columns.add(when(value.isNull(), lit(NULL_KEY)).otherwise(value.cast("string")).as("v" + i));
            stack.append(", ").append(i).append(", v").append(i);
        }
        stack.append(") AS (c, v)");
        return rows.select(columns.toArray(Column[]::new)).selectExpr("u", stack.toString());
    }
}
