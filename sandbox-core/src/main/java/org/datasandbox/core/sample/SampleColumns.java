package org.datasandbox.core.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.core.policy.ColumnPolicy;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.guard.catalog.Bounds;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.sampling.SparkValueTypes;

/**
 * What the sample generators know of a table's columns, from its policy and its stored schema: the
 * privacy unit, identifiers (with their mask as format), numbers with policy bounds and dates modelled as
 * numbers, everything else as categories. Columns of types the generators do not handle are left out.
 */
public final class SampleColumns {
    private SampleColumns() {
    }

    public static List<SampleColumn> of(TablePolicy policy, StructType schema) {
        List<SampleColumn> columns = new ArrayList<>();
        for (StructField field : schema.fields()) {
            Optional<ColumnPolicy> rule = policy.column(field.name());
            Optional<ValueType> type = SparkValueTypes.of(field.dataType());
            if (rule.isEmpty() || type.isEmpty() || type.get() == ValueType.TIMESTAMP) {
                continue; // timestamps are masked (kept or nulled) in masked samples, not modelled
            }
            columns.add(column(field.name(), type.get(), rule.get()));
        }
        return columns;
    }

    private static SampleColumn column(String name, ValueType type, ColumnPolicy rule) {
        SampleColumn column = switch (rule.role()) {
            case PRIVACY_UNIT -> SampleColumn.privacyUnit(name, type);
            case DIRECT_IDENTIFIER -> SampleColumn.identifier(name, type, rule.mask().function());
            default -> modelled(name, type, rule.bounds(), rule.values());
        };
        return rule.role() == org.datasandbox.guard.catalog.ColumnRole.QUASI_IDENTIFIER ? column.asQuasiIdentifier() : column;
    }

    private static SampleColumn modelled(String name, ValueType type, Optional<Bounds> bounds, List<String> values) {
        if (type == ValueType.DATE) {
            return SampleColumn.numeric(name, type, Double.NaN, Double.NaN);
        }
        if (type.isNumeric() && bounds.isPresent() && bounds.get().lower() < bounds.get().upper()) {
            return SampleColumn.numeric(name, type, bounds.get().lower(), bounds.get().upper());
        }
        return SampleColumn.categorical(name, type, values);
    }
}
