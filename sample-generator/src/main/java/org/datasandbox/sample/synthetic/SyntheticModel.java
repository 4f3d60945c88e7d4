package org.datasandbox.sample.synthetic;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.sampling.SparkValueTypes;

/**
 * What a synthetic sample is drawn from: noisy 1-way marginals of every modelled column, a spanning tree
 * of noisy 2-way marginals ({@link SpanningTree}) and a noisy distribution of rows per privacy unit. It
 * holds no row of the originals, only what was released with differential privacy at {@link #cost()}, so
 * any number of samples may be drawn from it and every figure computed from it and a sample is free.
 */
public final class SyntheticModel implements Serializable {
    private static final long serialVersionUID = 3L;

    private final List<SampleColumn> columns;
    private final Marginal[] marginals;          // per column, null when not modelled
    private final int[] position;                // per column, its index among the modelled ones
    private final List<Marginal> modelled;
    private final SpanningTree tree;             // null with fewer than two modelled columns
    private final double[] rowsPerUnit;          // weight of 1, 2, ... rows
    private final double units;
    private final PrivacyCost cost;
    private final SyntheticSpec spec;
    private final int birthDate;                 // the one date quasi-identifier, which made-up ID numbers encode; -1 if none

    SyntheticModel(List<SampleColumn> columns, Marginal[] marginals, SpanningTree tree, double[] rowsPerUnit,
                   double units, PrivacyCost cost, SyntheticSpec spec) {
        this.columns = List.copyOf(columns);
        this.marginals = marginals.clone();
        this.position = new int[columns.size()];
        List<Marginal> list = new ArrayList<>();
        for (int i = 0; i < marginals.length; i++) {
            position[i] = marginals[i] == null ? -1 : list.size();
            if (marginals[i] != null) {
                list.add(marginals[i]);
            }
        }
        this.modelled = List.copyOf(list);
        this.tree = tree;
        this.rowsPerUnit = rowsPerUnit.clone();
        this.units = units;
        this.cost = cost;
        this.spec = spec;
        List<Integer> dates = new ArrayList<>();
        for (int i = 0; i < this.columns.size(); i++) {
            SampleColumn column = this.columns.get(i);
            if (column.type() == ValueType.DATE && column.quasiIdentifier() && marginals[i] != null) {
                dates.add(i);
            }
        }
        this.birthDate = dates.size() == 1 ? dates.get(0) : -1;
    }

    public List<SampleColumn> columns() {
        return columns;
    }

    public StructType schema() {
        StructField[] fields = columns.stream()
                .map(c -> DataTypes.createStructField(c.name(), SparkValueTypes.toSpark(c.type()), true))
                .toArray(StructField[]::new);
        return DataTypes.createStructType(fields);
    }

    /** The epsilon the model spent on the originals. */
    public BigDecimal epsilon() {
        return cost.epsilon();
    }

    /** What the fit cost, step by step: what a budget store charges. */
    public PrivacyCost cost() {
        return cost;
    }

    public SyntheticSpec spec() {
        return spec;
    }

    /** The utility estimate of this model, from its noisy number of units: DP, free to show. */
    public UtilityEstimate utility() {
        return UtilityEstimate.of(columns, spec, units);
    }

    /**
     * Per column, what the sample does not keep of it and why; empty for columns drawn from their
     * model as measured. Privacy units and identifiers are made up without looking at the data.
     */
    public Map<String, String> notes() {
        Map<String, String> notes = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            SampleColumn column = columns.get(i);
            switch (column.kind()) {
                case PRIVACY_UNIT -> notes.put(column.name(), "numbered 1 to n, so that linked tables join; not from the data");
                case IDENTIFIER -> notes.put(column.name(), "made up in its format; not from the data");
                default -> {
                    if (!marginals[i].note().isEmpty()) {
                        notes.put(column.name(), marginals[i].note());
                    }
                }
            }
        }
        return notes;
    }

    /**
     * Per modelled column, the total variation distance between {@code sample} and the model's released
     * 1-way marginal, over the model's cells: a figure about the model and the sample only (the
     * released marginal is already DP), so it spends nothing. Sampling moves it a little; a large value
     * says the sample does not follow its model.
     */
    public Map<String, Double> distanceToModel(Dataset<Row> sample) {
        Map<String, Double> distances = new LinkedHashMap<>();
        List<Integer> indices = new ArrayList<>();
        List<Column> cells = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (marginals[i] != null && Arrays.asList(sample.columns()).contains(columns.get(i).name())) {
                indices.add(i);
                cells.add(marginals[i].cells().cell(col(columns.get(i).name())).as("c" + indices.size()));
            }
        }
        if (indices.isEmpty()) {
            return distances;
        }
        StringBuilder stack = new StringBuilder("stack(").append(indices.size());
        for (int k = 0; k < indices.size(); k++) {
            stack.append(", ").append(k).append(", c").append(k + 1);
        }
        stack.append(") AS (k, cell)");
        long[][] counts = new long[indices.size()][];
        for (int k = 0; k < indices.size(); k++) {
            counts[k] = new long[marginals[indices.get(k)].size()];
        }
        for (Row row : sample.select(cells.toArray(Column[]::new)).selectExpr(stack.toString()).groupBy("k", "cell").count()
                .collectAsList()) {
            counts[row.getInt(0)][row.getInt(1)] += row.getLong(2);
        }
        for (int k = 0; k < indices.size(); k++) {
            double[] model = marginals[indices.get(k)].weights();
            double modelTotal = Arrays.stream(model).sum();
            double sampleTotal = Arrays.stream(counts[k]).sum();
            double tvd = 0;
            for (int c = 0; c < model.length; c++) {
                double p = modelTotal > 0 ? model[c] / modelTotal : 0;
                double q = sampleTotal > 0 ? counts[k][c] / sampleTotal : 0;
                tvd += Math.abs(p - q);
            }
            distances.put(columns.get(indices.get(k)).name(), Math.round(tvd / 2 * 10_000) / 10_000.0);
        }
        return distances;
    }

    /** The noisy number of privacy units in the originals. */
    public double units() {
        return units;
    }

    /** Which column each modelled column was drawn after ("" for the first): the dependencies kept. */
    public List<String> dependencies() {
        List<String> kept = new ArrayList<>();
        if (tree == null) {
            return kept;
        }
        int[] parents = tree.parents();
        for (int i = 0; i < columns.size(); i++) {
            if (position[i] >= 0) {
                int parent = parents[position[i]];
                kept.add(columns.get(i).name() + " <- " + (parent < 0 ? "" : nameOfModelled(parent)));
            }
        }
        return kept;
    }

    private String nameOfModelled(int index) {
        for (int i = 0; i < position.length; i++) {
            if (position[i] == index) {
                return columns.get(i).name();
            }
        }
        throw new IllegalStateException("no modelled column " + index);
    }

    /**
     * The rows of the privacy unit numbered {@code unit} (from 0): none with probability
     * {@code 1 - withRows}, else as many as the noisy rows-per-unit distribution draws.
     */
    List<Row> rowsOf(long unit, long seed, double withRows) {
        SplittableRandom random = new SplittableRandom(mix(seed, unit));
        if (random.nextDouble() >= withRows) {
            return List.of();
        }
        int count = 1 + Weights.draw(rowsPerUnit, random);
        List<Row> rows = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            rows.add(row(unit, unit * rowsPerUnit.length + j, random));
        }
        return rows;
    }

    private Row row(long unit, long index, SplittableRandom random) {
        int[] cells;
        if (tree != null) {
            cells = tree.draw(modelled, random);
        } else {
            cells = new int[modelled.size()]; // at most one modelled column: nothing to depend on
            for (int i = 0; i < cells.length; i++) {
                cells[i] = modelled.get(i).drawCell(-1, random);
            }
        }
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            SampleColumn column = columns.get(i);
            values[i] = switch (column.kind()) {
                case PRIVACY_UNIT -> unitValue(column, unit);
                case IDENTIFIER -> null; // after the modelled values: an ID number encodes the row's birth date
                default -> marginals[i].cells().draw(cells[position[i]], random);
            };
        }
        LocalDate birth = birthDate >= 0 ? (LocalDate) values[birthDate] : null;
        for (int i = 0; i < values.length; i++) {
            if (columns.get(i).kind() == SampleColumn.Kind.IDENTIFIER) {
                values[i] = FakeIdentifiers.value(columns.get(i), index, birth, random);
            }
        }
        return RowFactory.create(values);
    }

    /** Privacy unit number {@code unit} as a value: the same in every table, so linked tables join. */
    static Object unitValue(SampleColumn column, long unit) {
        return switch (column.type()) {
            case LONG -> unit + 1;
            case INTEGER -> (int) (unit + 1);
            case STRING -> FakeIdentifiers.padded("U", unit + 1);
            default -> throw new IllegalArgumentException("a privacy unit of type " + column.type() + " cannot be synthesized");
        };
    }

    private static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "SyntheticModel" + columns.stream().map(SampleColumn::name).toList() + " epsilon " + cost.epsilon()
                + " delta " + cost.delta()
                + " rows per unit " + Arrays.toString(rowsPerUnit);
    }
}
