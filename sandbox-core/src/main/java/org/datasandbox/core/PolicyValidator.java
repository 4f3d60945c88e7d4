package org.datasandbox.core;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.datasandbox.core.catalog.DatasetCatalog;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.policy.ColumnPolicy;
import org.datasandbox.core.policy.PolicyException;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.masking.MaskingException;
import org.datasandbox.masking.function.KeyedPseudonym;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.masking.policy.ColumnMasking;
import org.datasandbox.masking.policy.MaskingFunctions;

/**
 * Checks a parsed policy against what is registered: a table policy must give every column of its
 * table a role and a mask that fits the column's type; a scenario may only grant existing columns of the
 * tables that are registered.
 */
final class PolicyValidator {
    private final DatasetCatalog datasets;

    PolicyValidator(DatasetCatalog datasets) {
        this.datasets = datasets;
    }

    void validate(PolicyParser.Parsed parsed) throws PolicyException {
        if (parsed.table().isPresent()) {
            validate(parsed.table().get());
        } else {
            validate(parsed.scenario().orElseThrow());
        }
    }

    private void validate(TablePolicy policy) throws PolicyException {
        DatasetDescriptor dataset = datasets.get(policy.table())
                .orElseThrow(() -> new PolicyException(0, 0, "table " + policy.table() + " is not registered"));
        for (DatasetColumn column : dataset.columns()) {
            if (policy.column(column.name()).isEmpty()) {
                throw new PolicyException(0, 0, "column " + column.name() + " of " + policy.table()
                        + " has no role: every column needs one");
            }
        }
        for (ColumnPolicy column : policy.columns()) {
            DatasetColumn stored = dataset.column(column.name()).orElseThrow(() -> new PolicyException(column.line(), 1,
                    "column " + column.name() + " is not a column of " + policy.table()));
            if (column.type().isPresent() && column.type().get() != stored.type()) {
                throw new PolicyException(column.line(), 1, "column " + column.name() + " is declared "
                        + column.type().get().name().toLowerCase(Locale.ROOT) + " but registered as "
                        + stored.type().name().toLowerCase(Locale.ROOT));
            }
            boolean numeric = stored.type().isNumeric();
            if (column.bounds().isPresent() && !numeric) {
                throw new PolicyException(column.line(), 1, "column " + column.name() + " is not numeric and cannot have bounds");
            }
            if (column.bucketing().isPresent() && !(numeric || stored.type().name().equals("DATE"))) {
                throw new PolicyException(column.line(), 1, "column " + column.name() + " is neither numeric nor a date and cannot be bucketed");
            }
            if (column.role() == ColumnRole.MEASURE && !numeric) {
                throw new PolicyException(column.line(), 1, "measure " + column.name() + " is not numeric");
            }
            try {
                new ColumnMasking(column.name(), valueType(stored), MaskingFunctions.create(column.mask(), new byte[16],
                        KeyedPseudonym.Algorithm.SM3));
            } catch (MaskingException e) {
                throw new PolicyException(column.line(), 1, "column " + column.name() + ": " + e.getMessage());
            }
        }
    }

    /**
     * A scenario may grant tables that are not registered (or have no policy) yet: they exist for its
     * queries once both are in place. Columns of registered tables must exist.
     */
    private void validate(ScenarioPolicy scenario) throws PolicyException {
        for (Map.Entry<String, Set<String>> grant : scenario.grants().entrySet()) {
            String table = grant.getKey();
            var dataset = datasets.get(table);
            if (dataset.isEmpty()) {
                continue;
            }
            for (String column : grant.getValue()) {
                if (!column.equals("*") && dataset.get().column(column).isEmpty()) {
                    throw new PolicyException(0, 0, "granted column " + table + "." + column + " does not exist");
                }
            }
        }
    }

    private static ValueType valueType(DatasetColumn column) {
        return switch (column.type()) {
            case STRING -> ValueType.STRING;
            case INTEGER -> ValueType.INTEGER;
            case BIGINT -> ValueType.LONG;
            case DOUBLE -> ValueType.DOUBLE;
            case DATE -> ValueType.DATE;
            case BOOLEAN -> ValueType.BOOLEAN;
            case TIMESTAMP -> ValueType.TIMESTAMP;
        };
    }
}
