package org.datasandbox.sample.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Measures {@link MaskedRisk} inside the sandbox: the sample's classes and the population's classes on the
 * same generalized known columns, joined in Spark; only the class sizes come to the driver.
 */
public final class MaskedRiskReports {
    private static final String F_SAMPLE = "__in_sample";
    private static final String F_POPULATION = "__in_population";

    private MaskedRiskReports() {
    }

    /**
     * @param sample the anonymized sample
     * @param population every original row, masked and generalized exactly like the sample
     * @param unit the privacy-unit column (pseudonymized alike in both)
     */
    public static MaskedRisk measure(Dataset<Row> sample, Dataset<Row> population, String unit, List<String> known,
                                     List<String> sensitive, int k, int l, Map<String, String> generalization,
                                     long suppressedRows, long verbatimRows) {
        Column[] keys = known.stream().map(n -> col(n)).toArray(Column[]::new);
        Dataset<Row> f = sample.groupBy(keys).agg(countDistinct(col(unit)).as(F_SAMPLE));
        Dataset<Row> bigF = population.groupBy(keys).agg(countDistinct(col(unit)).as(F_POPULATION))
                .select(selectRenamed(known));
        Column same = lit(true);
        for (String key : known) {
            same = same.and(f.col(key).eqNullSafe(bigF.col("__p_" + key)));
        }
        // sorted: the marketer sum adds doubles, whose last bits follow the order; the order must follow the classes only
        List<Row> sizes = f.join(bigF, same, "left").select(col(F_SAMPLE), col(F_POPULATION))
                .orderBy(col(F_SAMPLE), col(F_POPULATION)).collectAsList();
        long people = 0;
        long smallest = Long.MAX_VALUE;
        long smallestPopulation = Long.MAX_VALUE;
        long sampleUnique = 0;
        long populationUnique = 0;
        long populationBelowK = 0;
        double marketer = 0;
        for (Row row : sizes) {
            long inSample = row.getLong(0);
            // a class must exist in the population it came from; a missing one counts as the sample's own
            long inPopulation = row.isNullAt(1) ? inSample : Math.max(inSample, row.getLong(1));
            people += inSample;
            smallest = Math.min(smallest, inSample);
            smallestPopulation = Math.min(smallestPopulation, inPopulation);
            sampleUnique += inSample == 1 ? 1 : 0;
            populationUnique += inPopulation == 1 ? inSample : 0;
            populationBelowK += inPopulation < k ? inSample : 0;
            marketer += (double) inSample / inPopulation;
        }
        if (people == 0) {
            return new MaskedRisk(known, List.of(), sensitive, k, l, generalization, suppressedRows, 0, 0, 0, 0, 0, 0, 0, verbatimRows);
        }
        return new MaskedRisk(known, List.of(), sensitive, k, l, generalization, suppressedRows, round(1.0 / smallest),
                round((double) sizes.size() / people), round(1.0 / smallestPopulation), round(marketer / people),
                round((double) sampleUnique / people), round((double) populationUnique / people),
                round((double) populationBelowK / people), verbatimRows);
    }

    private static Column[] selectRenamed(List<String> known) {
        List<Column> columns = new ArrayList<>();
        for (String key : known) {
            columns.add(col(key).as("__p_" + key));
        }
        columns.add(col(F_POPULATION));
        return columns.toArray(Column[]::new);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
