package org.datasandbox.core.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.policy.ColumnPolicy;
import org.datasandbox.core.policy.PolicyStore;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.datasandbox.sample.sampling.SparkValueTypes;

/**
 * Why a job that ran on the samples may fail on the originals: coded hints that point at how the masked
 * sample differs for the columns the job reads (a changed type, masked values, fewer people). They name
 * columns and masks, never values.
 */
public final class SampleHints {
    public static final String TYPE_DIFFERS = "SAMPLE_TYPE_DIFFERS";
    public static final String VALUES_MASKED = "SAMPLE_VALUES_MASKED";
    public static final String SAMPLE_SMALLER = "SAMPLE_SMALLER";
    private static final int MAX_HINTS = 10;

    private final PolicyStore policies;
    /** A stored table's schema (the catalog's: no row is read). */
    private final Function<String, StructType> schemas;
    private final int sampleUnits;

    public SampleHints(PolicyStore policies, Function<String, StructType> schemas, int sampleUnits) {
        this.policies = policies;
        this.schemas = schemas;
        this.sampleUnits = sampleUnits;
    }

    public List<String> of(Set<ColumnRef> columnsRead, ErrorCode failure) {
        List<String> hints = new ArrayList<>();
        if (failure == ErrorCode.TOO_LARGE) {
            hints.add(SAMPLE_SMALLER + ": samples hold about " + sampleUnits + " people per table, the originals all of "
                    + "them; the result grew past the limit: group more coarsely or filter");
        }
        for (ColumnRef column : new TreeSet<>(columnsRead)) {
            if (hints.size() >= MAX_HINTS) {
                break;
            }
            hint(column).ifPresent(hints::add);
        }
        return hints;
    }

    private Optional<String> hint(ColumnRef ref) {
        Optional<TablePolicy> policy = policies.table(ref.table());
        Optional<ColumnPolicy> column = policy.flatMap(p -> p.column(ref.column()));
        if (column.isEmpty() || column.get().mask().function().equals("keep")) {
            return Optional.empty();
        }
        String mask = column.get().mask().function();
        Optional<ValueType> original = originalType(ref);
        if (original.isPresent()) {
            ValueType masked;
            try {
                masked = MaskingFunctions.outputType(column.get().mask(), original.get());
            } catch (RuntimeException e) {
                masked = original.get();
            }
            if (masked != original.get()) {
                return Optional.of(TYPE_DIFFERS + ": " + ref.table() + "." + ref.column() + " is " + original.get()
                        + " in the originals but " + masked + " in the sample (mask " + mask + ")");
            }
        }
        return Optional.of(VALUES_MASKED + ": " + ref.table() + "." + ref.column() + " is masked by " + mask
                + " in the sample; the originals hold the full values, whose formats and ranges may differ");
    }

    private Optional<ValueType> originalType(ColumnRef ref) {
        try {
            for (StructField field : schemas.apply(ref.table()).fields()) {
                if (field.name().equalsIgnoreCase(ref.column())) {
                    return SparkValueTypes.of(field.dataType());
                }
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
