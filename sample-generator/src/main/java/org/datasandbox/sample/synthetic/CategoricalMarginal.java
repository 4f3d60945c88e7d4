package org.datasandbox.sample.synthetic;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.datasandbox.dp.aggregation.DpHistogram;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.SampleColumn;

/**
 * A column of categories: only categories whose noisy count clears the partition-selection threshold
 * are known to the model, so a category held by a handful of people never appears. The largest ones get
 * a bin each, the others share a tail bin.
 */
final class CategoricalMarginal extends Marginal {
    private static final long serialVersionUID = 1L;
    /** Not a value a string column can hold after Spark's cast: marks "no value" in the counts. */
    static final String NULL_KEY = "\u0000null";

    private final String[] topKeys;      // as Spark writes them, for binning
    private final Object[] top;          // bin i + 1
    private final Object[] tail;         // share the last bin
    private final double[] tailCounts;

    private CategoricalMarginal(ValueType type, String[] top, String[] tail, double[] tailCounts, double[] weights) {
        super(weights);
        this.topKeys = top;
        this.top = parse(type, top);
        this.tail = parse(type, tail);
        this.tailCounts = tailCounts;
    }

    /** Spends {@code epsilon} on one histogram of the values (and of "no value"), one row per privacy unit. */
    static CategoricalMarginal fit(SampleColumn column, Map<String, Long> counts, SyntheticSpec spec,
                                   BigDecimal epsilon, RandomSource random) {
        DpHistogram<String> histogram = DpHistogram.<String>builder().epsilon(epsilon).delta(spec.delta())
                .random(random).build();
        counts.forEach((key, count) -> {
            if (key.equals(NULL_KEY)) {
                histogram.addPublic(key, count);
            } else {
                histogram.add(key, count);
            }
        });
        histogram.addPublic(NULL_KEY, 0);
        Map<String, Long> noisy = histogram.result();
        List<Map.Entry<String, Long>> values = new ArrayList<>(noisy.entrySet().stream()
                .filter(e -> !e.getKey().equals(NULL_KEY) && e.getValue() > 0).toList());
        values.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        int topSize = Math.min(values.size(), spec.maxCategories() - 2);
        String[] top = new String[topSize];
        double[] weights = new double[topSize + 2];
        weights[0] = noisy.getOrDefault(NULL_KEY, 0L);
        for (int i = 0; i < topSize; i++) {
            top[i] = values.get(i).getKey();
            weights[i + 1] = values.get(i).getValue();
        }
        List<Map.Entry<String, Long>> rest = values.subList(topSize, values.size());
        String[] tail = rest.stream().map(Map.Entry::getKey).toArray(String[]::new);
        double[] tailCounts = rest.stream().mapToDouble(Map.Entry::getValue).toArray();
        for (double count : tailCounts) {
            weights[topSize + 1] += count;
        }
        return new CategoricalMarginal(column.type(), top, tail, tailCounts, weights);
    }

    /** The counting key of a value: its text, or the null marker. */
    static Column key(Column value) {
        return when(value.isNull(), lit(NULL_KEY)).otherwise(value.cast("string"));
    }

    @Override
    Column bin(Column value) {
        Column text = value.cast("string");
        Column bin = when(value.isNull(), lit(0));
        for (int i = 0; i < topKeys.length; i++) {
            bin = bin.when(text.equalTo(lit(topKeys[i])), lit(i + 1));
        }
        // categories the model does not know count with the tail
        return bin.otherwise(lit(top.length + 1));
    }

    @Override
    Object draw(int bin, SplittableRandom random) {
        if (bin == 0) {
            return null;
        }
        if (bin <= top.length) {
            return top[bin - 1];
        }
        if (tail.length > 0) {
            return tail[Weights.draw(tailCounts, random)];
        }
        if (top.length == 0) {
            return null; // no category was common enough to be released
        }
        return top[Weights.draw(weights(), 1, top.length + 1, random) - 1];
    }

    /** The category keys as values of the column's type, parsed once. */
    private static Object[] parse(ValueType type, String[] keys) {
        Object[] values = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = parse(type, keys[i]);
        }
        return values;
    }

    private static Object parse(ValueType type, String text) {
        return switch (type) {
            case STRING -> text;
            case INTEGER -> Integer.valueOf(text);
            case LONG -> Long.valueOf(text);
            case DOUBLE -> Double.valueOf(text);
            case BOOLEAN -> Boolean.valueOf(text);
            case DATE -> java.time.LocalDate.parse(text);
            case TIMESTAMP -> throw new IllegalArgumentException("timestamps are not modelled");
        };
    }
}
