package org.datasandbox.guard.explain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.dp.DpQuery;

/**
 * The guard's verdict on one query.
 *
 * @param violations why a query was refused (empty unless {@link Outcome#REJECT})
 * @param rewrittenSql the Spark SQL to execute (present only for {@link Outcome#ALLOW})
 * @param rewrites rules that changed the query (e.g. {@link RuleId#MIN_GROUP_SIZE})
 * @param outputColumns base columns the released output derives from
 * @param filterColumns base columns the query reads without outputting them (filters, join keys)
 * @param tables the tables the query reads (empty when it could not be planned)
 * @param dpQuery in DP mode, the noisy release's plan ({@code rewrittenSql} is then its SQL)
 */
public record Decision(Outcome outcome, List<Violation> violations, Optional<String> rewrittenSql,
                       List<RuleId> rewrites, Set<ColumnRef> outputColumns, Set<ColumnRef> filterColumns,
                       Set<String> tables, Optional<DpQuery> dpQuery) {

    /** The three possible verdicts. */
    public enum Outcome {
        ALLOW,
        REJECT,
        REVIEW
    }

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        violations = List.copyOf(violations);
        Objects.requireNonNull(rewrittenSql, "rewrittenSql");
        rewrites = List.copyOf(rewrites);
        outputColumns = Set.copyOf(outputColumns);
        filterColumns = Set.copyOf(filterColumns);
        tables = Set.copyOf(tables);
        Objects.requireNonNull(dpQuery, "dpQuery");
        if (dpQuery.isPresent() && !dpQuery.get().sparkSql().equals(rewrittenSql.orElse(null))) {
            throw new IllegalArgumentException("a DP decision runs its DP query's SQL");
        }
        if ((outcome == Outcome.REJECT) == violations.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs violations, and only a rejection has them");
        }
        if ((outcome == Outcome.ALLOW) != rewrittenSql.isPresent()) {
            throw new IllegalArgumentException("an allowed query needs its rewritten SQL, and only an allowed one has it");
        }
    }

    public static Decision reject(Violation violation) {
        return reject(List.of(violation), Set.of(), Set.of(), Set.of());
    }

    public static Decision reject(List<Violation> violations, Set<ColumnRef> output, Set<ColumnRef> filters,
                                  Set<String> tables) {
        return new Decision(Outcome.REJECT, violations, Optional.empty(), List.of(), output, filters, tables,
                Optional.empty());
    }

    public static Decision allow(String sql, List<RuleId> rewrites, Set<ColumnRef> output, Set<ColumnRef> filters,
                                 Set<String> tables) {
        return new Decision(Outcome.ALLOW, List.of(), Optional.of(sql), rewrites, output, filters, tables,
                Optional.empty());
    }

    /** An allowed query in DP mode: its SQL returns bounded partials that the sandbox noises before release. */
    public static Decision allowDp(DpQuery query, List<RuleId> rewrites, Set<ColumnRef> output, Set<ColumnRef> filters,
                                   Set<String> tables) {
        return new Decision(Outcome.ALLOW, List.of(), Optional.of(query.sparkSql()), rewrites, output, filters, tables,
                Optional.of(query));
    }

    public boolean isAllowed() {
        return outcome == Outcome.ALLOW;
    }

    /** The first violation: the one reported to users. */
    public Optional<Violation> firstViolation() {
        return violations.stream().findFirst();
    }
}
