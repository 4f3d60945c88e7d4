package org.datasandbox.sample.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.sampling.AnonymitySpec;
import org.datasandbox.sample.sampling.Generalization;

/**
 * Builds the {@link SampleReport} of a masked sample from the sample, the policy's ladders and the measured
 * risk alone: the originals are not an argument, so no figure of the report can be a statistic of them
 * beyond the risk counts {@link MaskedRiskReports} takes over classes.
 */
public final class MaskedReports {

    private MaskedReports() {
    }

    /**
     * @param sample the stored masked sample, as served
     * @param visible the granted columns: the report names and measures no other
     * @param spec the attacker-known columns with their ladders, k and l
     * @param levels the generalization level reached per known column
     * @param exactMatches rows served exactly as recorded, decided from the policy
     */
    public static SampleReport of(String table, Dataset<Row> sample, List<SampleColumn> visible, AnonymitySpec spec,
                                  Map<String, Integer> levels, MaskedRisk anonymity, long exactMatches) {
        List<SampleColumn> modelled = visible.stream().filter(SampleColumn::modelled).toList();
        List<Column> aggregates = new ArrayList<>();
        for (SampleColumn column : modelled) {
            aggregates.add(sum(when(col(column.name()).isNull(), 1).otherwise(0)));
        }
        Row counts = sample.agg(count(lit(1)), aggregates.toArray(Column[]::new)).first();
        long rows = counts.getLong(0);
        Map<String, SampleReport.ColumnUtility> columns = new LinkedHashMap<>();
        double total = 0;
        for (int i = 0; i < modelled.size(); i++) {
            String name = modelled.get(i).name();
            double empty = rows == 0 || counts.isNullAt(i + 1) ? 0 : (double) counts.getLong(i + 1) / rows;
            Generalization ladder = spec.known().get(name);
            int level = levels.getOrDefault(name, 0);
            double cellLoss = ladder == null ? 0 : ladder.loss(level);
            double loss = empty + (1 - empty) * cellLoss;
            total += loss;
            columns.put(name, new SampleReport.ColumnUtility(ladder == null ? "as masked" : ladder.describe(level),
                    round(empty), round(loss)));
        }
        SampleReport.Utility utility = new SampleReport.Utility(columns, modelled.isEmpty() ? 0 : round(total / modelled.size()));
        return new SampleReport(table, "masked", rows, utility, new SampleReport.Privacy(exactMatches,
                SampleReports.risk(sample, visible, spec.k()), anonymity.suppressedRows(), anonymity));
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
