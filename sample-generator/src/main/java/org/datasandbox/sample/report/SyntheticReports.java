package org.datasandbox.sample.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.synthetic.PrivacyCost;
import org.datasandbox.sample.synthetic.SyntheticModel;
import org.datasandbox.sample.synthetic.UtilityEstimate;

/**
 * Builds {@link SyntheticReport}s from a model and its sample alone: the originals are not an argument,
 * so no figure of the report can be an exact statistic of them.
 */
public final class SyntheticReports {
    private static final List<String> STEP_KINDS = List.of("rows per person", "1-way marginal", "tree selection", "2-way marginal");

    private SyntheticReports() {
    }

    /**
     * @param visible the columns the developer is granted: the report names and measures no other
     * @param k the class size below which the sample's quasi-identifier classes count as small
     */
    public static SyntheticReport of(String table, Dataset<Row> sample, SyntheticModel model, List<SampleColumn> visible, int k) {
        Set<String> names = visible.stream().map(SampleColumn::name).collect(Collectors.toUnmodifiableSet());
        List<String> present = Arrays.asList(sample.columns());
        Dataset<Row> shown = sample.selectExpr(visible.stream().map(SampleColumn::name).filter(present::contains)
                .map(n -> "`" + n + "`").toArray(String[]::new));
        long rows = sample.count();
        UtilityEstimate utility = model.utility();
        Map<String, Double> toModel = model.distanceToModel(shown);
        Map<String, String> notes = model.notes();
        Map<String, SyntheticReport.Column> columns = new LinkedHashMap<>();
        for (SampleColumn column : visible) {
            String source = switch (column.kind()) {
                case PRIVACY_UNIT -> "numbered";
                case IDENTIFIER -> "made up";
                default -> "model";
            };
            columns.put(column.name(), new SyntheticReport.Column(source, utility.expectedDistributionError().get(column.name()),
                    toModel.get(column.name()), notes.getOrDefault(column.name(), "")));
        }
        List<String> warnings = new ArrayList<>(utility.warnings());
        for (SampleColumn column : visible) {
            String note = notes.getOrDefault(column.name(), "");
            if (column.modelled() && (note.contains("empty") || note.startsWith("no category"))) {
                warnings.add("column " + column.name() + ": " + note);
            }
        }
        List<String> dependencies = model.dependencies().stream()
                .filter(d -> Arrays.stream(d.split(" <- ")).allMatch(names::contains)).toList();
        return new SyntheticReport(table, "synthetic", rows, model.epsilon().toPlainString(), model.cost().delta(),
                spent(model.cost()), Math.round(model.units()), columns, dependencies, warnings,
                SampleReports.risk(shown, visible, k), null);
    }

    /** Epsilon per kind of step, so that no column outside the grant is named. */
    private static Map<String, String> spent(PrivacyCost cost) {
        Map<String, String> spent = new LinkedHashMap<>();
        for (String kind : STEP_KINDS) {
            spent.put(kind, cost.epsilonOf(kind).toPlainString());
        }
        return spent;
    }
}
