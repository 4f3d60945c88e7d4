package org.datasandbox.sample.synthetic;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.sampling.SparkValueTypes;

/**
 * What a synthetic sample is drawn from: noisy marginals, noisy pairwise dependencies and a noisy
 * distribution of rows per privacy unit. It holds no row of the originals, only what was released with
 * differential privacy under {@link #epsilon()}, so any number of samples may be drawn from it.
 */
public final class SyntheticModel implements Serializable {
    private static final long serialVersionUID = 2L;

    private final List<SampleColumn> columns;
    private final Marginal[] marginals;          // per column, null when not modelled
    private final int[] position;                // per column, its index among the modelled ones
    private final List<Marginal> modelled;
    private final DependencyModel dependencies;  // null without modelled columns
    private final double[] rowsPerUnit;          // weight of 1, 2, ... rows
    private final double units;
    private final BigDecimal epsilon;
    private final int birthDate;                 // the one date quasi-identifier, which made-up ID numbers encode; -1 if none

    SyntheticModel(List<SampleColumn> columns, Marginal[] marginals, DependencyModel dependencies,
                   double[] rowsPerUnit, double units, BigDecimal epsilon) {
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
        this.dependencies = dependencies;
        this.rowsPerUnit = rowsPerUnit.clone();
        this.units = units;
        this.epsilon = epsilon;
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
        return epsilon;
    }

    /** The noisy number of privacy units in the originals. */
    public double units() {
        return units;
    }

    /** Which column each modelled column was drawn after ("" for the first): the dependencies kept. */
    public List<String> dependencies() {
        List<String> kept = new ArrayList<>();
        if (dependencies == null) {
            return kept;
        }
        int[] parents = dependencies.parents();
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
        int[] bins;
        if (dependencies != null) {
            bins = dependencies.draw(random);
        } else {
            bins = new int[modelled.size()]; // at most one modelled column: nothing to depend on
            for (int i = 0; i < bins.length; i++) {
                bins[i] = Weights.draw(modelled.get(i).weights(), random);
            }
        }
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            SampleColumn column = columns.get(i);
            values[i] = switch (column.kind()) {
                case PRIVACY_UNIT -> unitValue(column, unit);
                case IDENTIFIER -> null; // after the modelled values: an ID number encodes the row's birth date
                default -> marginals[i].draw(bins[position[i]], random);
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
        return "SyntheticModel" + columns.stream().map(SampleColumn::name).toList() + " epsilon " + epsilon
                + " rows per unit " + Arrays.toString(rowsPerUnit);
    }
}
