package org.datasandbox.core.policy;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.core.catalog.DatasetColumn;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.masking.detect.ColumnProfile;
import org.datasandbox.masking.detect.ColumnProfiler;
import org.datasandbox.masking.detect.ColumnProposal;
import org.datasandbox.masking.policy.MaskingSpec;

/**
 * Drafts a table policy for a registered table: profiles its columns inside Spark (row and distinct
 * counts, ranges, a thousand sampled values) and writes the profiler's typed proposals as a policy
 * document through Jackson, each column with the evidence behind it as its note, for the admin to check
 * and apply.
 */
public final class PolicyDrafts {
    private static final int SAMPLED_VALUES = 1_000;

    private PolicyDrafts() {
    }

    /** The profile a draft is written from: row count, each column's profile and the profiler's proposals. */
    private record Profiled(long rows, List<ColumnProfile> profiles, List<ColumnProposal> proposals, int sampled) {
    }

    public static String draft(String table, Dataset<Row> originals, List<DatasetColumn> columns) {
        Profiled profiled = profile(originals, columns);
        return document(table, columns, profiled.proposals(), profiled.sampled());
    }

    /**
     * A draft scenario for a registered table, in DP mode (the mode for new scenarios), with per-query parameters
     * proposed from the table's profile: see {@link #scenario(String, long, long)}.
     */
    public static String scenarioDraft(String table, Dataset<Row> originals, List<DatasetColumn> columns) {
        Profiled profiled = profile(originals, columns);
        long units = 0;
        for (int i = 0; i < profiled.proposals().size(); i++) {
            if (profiled.proposals().get(i).role() == ColumnProposal.Role.PRIVACY_UNIT) {
                units = Math.max(units, profiled.profiles().get(i).distinct());
            }
        }
        return scenario(table, profiled.rows(), units);
    }

    private static Profiled profile(Dataset<Row> originals, List<DatasetColumn> columns) {
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
        return new Profiled(rows, profiles, ColumnProfiler.propose(profiles), sampled.size());
    }

    /**
     * The scenario draft: {@code output: {mode: dp}} with epsilon 1 per query, delta 1e-6 (or a tenth of one over
     * the number of people when they are more than 100,000, so that delta stays well below one over n), a person
     * in at most one group of a query, with at most as many rows there as the table has per person on average
     * (rounded up; 1 for a table of one row per person, up to 1,000), the mechanism chosen per query, and a
     * lifetime budget of 10 queries' epsilon and delta. Purpose and developers are left for the admin: the draft
     * is refused until they are written.
     *
     * @param units the distinct values of the privacy unit column (0 when the profiler saw none)
     */
    static String scenario(String table, long rows, long units) {
        long perUnit = units <= 0 ? 1 : Math.min(1_000, Math.max(1, (rows + units - 1) / units));
        double delta = units > 100_000 ? Math.pow(10, -Math.ceil(Math.log10(units)) - 1) : 1e-6;
        PolicyFile.Output output = new PolicyFile.Output("dp", null, null, "auto", java.math.BigDecimal.ONE,
                new java.math.BigDecimal(Double.toString(delta)), 1, (int) perUnit);
        LinkedHashMap<String, List<String>> grants = new LinkedHashMap<>();
        grants.put(table, List.of("*"));
        PolicyFile.Scenario draft = new PolicyFile.Scenario(PolicyParser.SCENARIO_KIND, table.replace('_', '-') + "-dp",
                "", List.of(), grants, output, new PolicyFile.Budget(10.0, delta * 10), null);
        return "# Drafted by the sandbox for " + table + ": a scenario in DP mode, the mode for new scenarios (every\n"
                + "# answer noisy, each person's contribution bounded, every query spending from the lifetime budget).\n"
                + "# Write its purpose and its developers' names before applying it. max_rows_per_group is the table's\n"
                + "# rows per " + (units > 0 ? "person on average (" + String.format("%,d", rows) + " rows, about "
                + String.format("%,d", units) + " people)" : "person: no privacy unit column was recognised, so 1")
                + "; raise max_groups_per_unit when queries group by\n"
                + "# something one person has many of (months, diagnoses). mode: threshold stays available.\n"
                + PolicyYaml.write(draft);
    }

    /** The draft, written through the same file model the parser reads; the evidence goes in each column's note. */
    static String document(String table, List<DatasetColumn> columns, List<ColumnProposal> proposals, int sampled) {
        List<PolicyFile.Column> entries = new ArrayList<>();
        for (int i = 0; i < proposals.size(); i++) {
            ColumnProposal proposal = proposals.get(i);
            ColumnRole role = ColumnRole.valueOf(proposal.role().name());
            entries.add(new PolicyFile.Column(proposal.column(), columns.get(i).type(), role,
                    proposal.bounds().map(b -> List.of(b.lower(), b.upper())).orElse(null),
                    proposal.bucket().map(b -> new PolicyFile.Bucket(b.width().orElse(null), b.dateUnit().orElse(null)))
                            .orElse(null),
                    proposal.mask().map(PolicyDrafts::mask).orElse(null), null, null, proposal.evidence()));
        }
        PolicyFile.Table draft = new PolicyFile.Table(PolicyParser.TABLE_KIND, table, null, null,
                new PolicyFile.Output("threshold", 10, null), entries, null, null);
        return "# Drafted by the sandbox's profiler from " + String.format("%,d", sampled) + " sampled rows of " + table + ".\n"
                + "# Check every line before applying it: the roles decide what may ever leave the sandbox.\n"
                + PolicyYaml.write(draft);
    }

    private static JsonNode mask(MaskingSpec spec) {
        if (spec.params().isEmpty()) {
            return TextNode.valueOf(spec.function());
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("function", spec.function());
        new TreeMap<>(spec.params()).forEach(node::put);
        return node;
    }

    private static boolean isNumeric(ColumnType type) {
        return type == ColumnType.INTEGER || type == ColumnType.BIGINT || type == ColumnType.DOUBLE;
    }
}
