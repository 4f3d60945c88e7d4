package org.datasandbox.core.policy;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.masking.detect.ColumnProfile;
import org.datasandbox.masking.detect.ColumnProfiler;
import org.datasandbox.masking.detect.ColumnProposal;

/**
 * Drafts a table policy for a registered table: profiles its columns inside Spark (row and distinct
 * counts, ranges, a thousand sampled values) and writes the profiler's proposals as a policy document,
 * each column with the evidence behind it as a comment, for the admin to check and apply.
 */
public final class PolicyDrafts {
    private static final int SAMPLED_VALUES = 1_000;

    private PolicyDrafts() {
    }

    public static String draft(String table, Dataset<Row> originals, List<DatasetColumn> columns) {
        List<Column> stats = new ArrayList<>();
        stats.add(count(lit(1)));
        for (DatasetColumn column : columns) {
            Column value = col(column.name());
            stats.add(approx_count_distinct(value));
            boolean numeric = isNumeric(column.type());
            stats.add(numeric ? min(value).cast("double") : lit(0.0));
            stats.add(numeric ? max(value).cast("double") : lit(0.0));
        }
        Row summary = originals.agg(stats.get(0), stats.subList(1, stats.size()).toArray(Column[]::new)).first();
        long rows = summary.getLong(0);
        double fraction = Math.min(1.0, 2.0 * SAMPLED_VALUES / Math.max(1, rows));
        List<Row> sampled = originals.sample(fraction, 20_261_127L).limit(SAMPLED_VALUES).collectAsList();
        List<ColumnProfile> profiles = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            DatasetColumn column = columns.get(c);
            int field = originals.schema().fieldIndex(column.name());
            List<String> values = new ArrayList<>();
            for (Row row : sampled) {
                if (!row.isNullAt(field) && !row.get(field).toString().isBlank()) {
                    values.add(row.get(field).toString());
                }
            }
            int at = 1 + 3 * c;
            profiles.add(new ColumnProfile(column.name(), column.type().name().toLowerCase(Locale.ROOT), rows,
                    summary.getLong(at), summary.isNullAt(at + 1) ? 0 : summary.getDouble(at + 1),
                    summary.isNullAt(at + 2) ? 0 : summary.getDouble(at + 2), values));
        }
        return document(table, columns, ColumnProfiler.propose(profiles), sampled.size());
    }

    private static String document(String table, List<DatasetColumn> columns, List<ColumnProposal> proposals, int sampled) {
        StringBuilder yaml = new StringBuilder()
                .append("# Drafted by the sandbox's profiler from ").append(String.format("%,d", sampled))
                .append(" sampled rows of ").append(table).append(".\n")
                .append("# Check every line before applying it: the roles decide what may ever leave the sandbox.\n")
                .append("kind: table-policy\n")
                .append("table: ").append(table).append('\n')
                .append("output: {mode: threshold, k: 10}\n")
                .append("columns:\n");
        for (int i = 0; i < proposals.size(); i++) {
            ColumnProposal proposal = proposals.get(i);
            yaml.append("  # ").append(proposal.evidence()).append('\n')
                    .append("  - {name: ").append(proposal.column())
                    .append(", type: ").append(columns.get(i).type().name().toLowerCase(Locale.ROOT))
                    .append(", role: ").append(proposal.role());
            if (!proposal.extra().isEmpty()) {
                yaml.append(", ").append(proposal.extra());
            }
            if (!proposal.mask().isEmpty()) {
                yaml.append(", mask: ").append(proposal.mask());
            }
            yaml.append("}\n");
        }
        return yaml.toString();
    }

    private static boolean isNumeric(ColumnType type) {
        return type == ColumnType.INTEGER || type == ColumnType.BIGINT || type == ColumnType.DOUBLE;
    }
}
