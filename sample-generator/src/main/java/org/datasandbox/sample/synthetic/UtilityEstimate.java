package org.datasandbox.sample.synthetic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.datasandbox.dp.aggregation.PartitionSelection;
import org.datasandbox.sample.SampleColumn;

/**
 * How good a synthetic model of a table can be, from the spec, the columns and a number of privacy
 * units alone: the expected total variation distance that noise adds to each column's distribution, and
 * the smallest category partition selection can release. It reads no data, so it can be shown before the
 * budget is spent (with the table's size as the provider registered it) and in a sample's report (with
 * the model's noisy number of units).
 *
 * @param expectedDistributionError per modelled column, the expected TVD that noise adds (0 to 1)
 * @param smallestReleasedCategory people a category needs to be released with probability about one half
 *     (0 when no column relies on partition selection)
 * @param warnings plain sentences for the admin and the developer, empty when the model should be useful
 */
public record UtilityEstimate(double units, Map<String, Double> expectedDistributionError, double meanExpectedError,
                              long smallestReleasedCategory, List<String> warnings) {
    /** Below this mean expected distance the sample is considered usable without warning. */
    static final double USEFUL = 0.05;
    /** Cells assumed for a category column whose values are known only from the data. */
    private static final int ASSUMED_CATEGORIES = 10;

    public UtilityEstimate {
        expectedDistributionError = Map.copyOf(expectedDistributionError);
        warnings = List.copyOf(warnings);
    }

    public static UtilityEstimate of(List<SampleColumn> columns, SyntheticSpec spec, double units) {
        Objects.requireNonNull(spec, "spec");
        List<SampleColumn> modelled = columns.stream().filter(SampleColumn::modelled).toList();
        BigDecimal perMarginal = SyntheticSampleGenerator.perMarginal(spec, modelled.size());
        double scale = 1 / perMarginal.doubleValue();
        long selecting = modelled.stream().filter(c -> c.kind() == SampleColumn.Kind.CATEGORICAL && c.publicDomain().isEmpty()).count();
        long threshold = selecting == 0 ? 0 : PartitionSelection.threshold(scale, 1, spec.delta() / selecting);
        double n = Math.max(1, units);
        Map<String, Double> errors = new LinkedHashMap<>();
        for (SampleColumn column : modelled) {
            int cells = column.kind() == SampleColumn.Kind.NUMERIC ? NumericCells.of(column).size()
                    : column.publicDomain().isEmpty() ? ASSUMED_CATEGORIES + 1 : column.publicDomain().size() + 1;
            // about half the cells hold rows (noise of mean |scale| each), the empty ones gain scale / 2 when clamped
            errors.put(column.name(), round(Math.min(1, cells * 0.75 * scale / (2 * n))));
        }
        double mean = errors.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
        List<String> warnings = new ArrayList<>();
        if (mean > USEFUL) {
            warnings.add(String.format(java.util.Locale.ROOT, "small table for its budget: with about %d people and epsilon %s "
                    + "over %d columns, noise alone is expected to move each column's distribution by %.2f (total "
                    + "variation distance); a larger epsilon or fewer granted columns would help", Math.round(n),
                    spec.epsilon().toPlainString(), modelled.size(), mean));
        }
        if (threshold > n / 10) {
            warnings.add("categories held by fewer than about " + threshold + " people cannot be released: "
                    + "declare the column's values in the policy (a public domain) to keep them");
        }
        return new UtilityEstimate(Math.round(n), errors, round(mean), threshold, warnings);
    }

    /** The estimate naming only the {@code granted} columns (the mean and warnings are the model's, over all). */
    public UtilityEstimate visibleTo(java.util.Set<String> granted) {
        Map<String, Double> visible = new LinkedHashMap<>();
        expectedDistributionError.forEach((name, error) -> {
            if (granted.contains(name)) {
                visible.put(name, error);
            }
        });
        return new UtilityEstimate(units, visible, meanExpectedError, smallestReleasedCategory, warnings);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
