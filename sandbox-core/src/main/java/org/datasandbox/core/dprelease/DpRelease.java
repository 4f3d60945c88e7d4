package org.datasandbox.core.dprelease;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.datasandbox.dp.accounting.PrivacyLoss;

/**
 * A noisy release, ready to encode: per group the keys, then per value the noisy value and its interval
 * ({@code <name>}, {@code <name>_ci_low}, {@code <name>_ci_high}); {@code metadata} describes every value
 * (mechanism, epsilon, delta, confidence) and travels as the Arrow schema's metadata under {@link #METADATA_KEY}.
 */
public record DpRelease(StructType schema, List<Row> rows, Map<String, String> metadata, PrivacyLoss charged) {
    /** The Arrow schema metadata key of the release's description (JSON). */
    public static final String METADATA_KEY = "datasandbox.dp";

    public DpRelease {
        Objects.requireNonNull(schema, "schema");
        rows = List.copyOf(rows);
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(charged, "charged");
    }
}
