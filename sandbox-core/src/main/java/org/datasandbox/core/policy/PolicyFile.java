package org.datasandbox.core.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;

/**
 * The policy file formats as written: what the YAML binds to before any rule is checked, and what a
 * draft is written from. Field names are the file's keys in snake case.
 */
final class PolicyFile {
    private PolicyFile() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"mode", "k", "small_groups", "mechanism", "epsilon", "delta", "max_groups_per_unit",
            "max_rows_per_group", "reviewers", "dominance"})
    record Output(String mode, Integer k, String smallGroups, String mechanism, BigDecimal epsilon, BigDecimal delta,
                  Integer maxGroupsPerUnit, Integer maxRowsPerGroup, Integer reviewers, Dominance dominance) {
        /** A threshold-mode output. */
        Output(String mode, Integer k, String smallGroups) {
            this(mode, k, smallGroups, null, null, null, null, null);
        }

        /** An output without review settings. */
        Output(String mode, Integer k, String smallGroups, String mechanism, BigDecimal epsilon, BigDecimal delta,
               Integer maxGroupsPerUnit, Integer maxRowsPerGroup) {
            this(mode, k, smallGroups, mechanism, epsilon, delta, maxGroupsPerUnit, maxRowsPerGroup, null, null);
        }

        boolean hasDpSettings() {
            return mechanism != null || epsilon != null || delta != null || maxGroupsPerUnit != null
                    || maxRowsPerGroup != null;
        }
    }

    /** The dominance rules of a disclosure report: p% (p), and (n, k): the n largest over k% of a cell's total. */
    record Dominance(Integer p, Integer n, Integer k) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Bucket(Integer width, String dateUnit) {
    }

    /** One column entry; {@code note} is free text for the author (drafts put the profiler's evidence there). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "type", "role", "bounds", "bucket", "mask", "classification", "values", "note"})
    record Column(String name, ColumnType type, ColumnRole role, List<BigDecimal> bounds, Bucket bucket,
                  JsonNode mask, String classification, List<String> values, String note) {
    }

    record Join(String column, String references) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "table", "description", "one_row_per_unit", "output", "columns", "joins", "samples"})
    record Table(String kind, String table, String description, Boolean oneRowPerUnit, Output output,
                 List<Column> columns, List<Join> joins, Samples samples) {
    }

    record Samples(Integer kAnonymity, Integer lDiversity, BigDecimal epsilon, String stratifyBy) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Scenario(String kind, String id, String purpose, List<String> developers,
                    LinkedHashMap<String, List<String>> grants, Output output, Budget budget, String expires) {
    }

    /** A scenario's lifetime privacy budget per table: what its DP releases and synthetic samples may spend. */
    record Budget(Double epsilon, Double delta) {
    }
}
