package org.datasandbox.sample.synthetic;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.datasandbox.masking.function.ValueType;

/**
 * A category column: cell 0 is "no value", cells 1 to k the categories the model may draw (a public
 * domain, or those whose noisy count cleared the partition-selection threshold), and the last cell
 * every other value. A category that was not released never appears in a sample: the last cell is drawn
 * as {@value #OTHER} in text columns and as no value in others.
 */
final class CategoryCells implements Cells {
    private static final long serialVersionUID = 1L;
    /** Not a value a string column can hold after Spark's cast: marks "no value" in the counts. */
    static final String NULL_KEY = "\u0000null";
    /** What a text column shows for the categories that were not released. */
    static final String OTHER = "other";

    private final String[] keys;     // as Spark writes them as text
    private final ValueType type;
    // the same, of the column's type: parsed again after deserialization, so that a stored model holds only
    // strings (a date would not pass the filter that reads models back)
    private transient Object[] values;

    CategoryCells(ValueType type, List<String> keys) {
        this.type = type;
        this.keys = keys.toArray(String[]::new);
    }

    private Object[] values() {
        Object[] parsed = values;
        if (parsed == null) {
            parsed = new Object[keys.length];
            for (int i = 0; i < keys.length; i++) {
                parsed[i] = parse(type, keys[i]);
            }
            values = parsed;
        }
        return parsed;
    }

    /** The counting key of a value: its text, or the null marker. */
    static Column key(Column value) {
        return when(value.isNull(), lit(NULL_KEY)).otherwise(value.cast("string"));
    }

    /** The released categories, in cell order. */
    List<String> keys() {
        return List.of(keys);
    }

    /** The cell of the values that are none of the categories. */
    int other() {
        return keys.length + 1;
    }

    @Override
    public int size() {
        return keys.length + 2;
    }

    @Override
    public Column cell(Column value) {
        if (keys.length == 0) {
            return when(value.isNull(), lit(0)).otherwise(lit(other()));
        }
        List<Column> entries = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            entries.add(lit(keys[i]));
            entries.add(lit(i + 1));
        }
        Column lookup = element_at(functions.map(entries.toArray(Column[]::new)), value.cast("string"));
        return when(value.isNull(), lit(0)).otherwise(coalesce(lookup, lit(other())));
    }

    @Override
    public Object draw(int cell, SplittableRandom random) {
        if (cell == 0) {
            return null;
        }
        if (cell > keys.length) {
            return type == ValueType.STRING ? OTHER : null;
        }
        return values()[cell - 1];
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
