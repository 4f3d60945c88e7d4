package org.datasandbox.core.review;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.guard.catalog.ColumnRef;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.guard.catalog.Scenario;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes a {@link DisclosureReport} for an output on the originals, inside the sandbox: traces each released
 * cell to its units ({@link CellTracer}), runs that in Spark, and judges each cell by k, the dominance rules, zeros
 * and the scenario's earlier releases ({@link ReleaseHistory}); flags residual identifiers from the guard's lineage.
 * Nothing it returns holds a value that is not in the output, except counts and shares.
 */
public final class DisclosureAnalyzer {
    private static final Logger LOG = LoggerFactory.getLogger(DisclosureAnalyzer.class);
    /** Contribution rows (people per cell) read onto the driver at most; beyond it a query is not traced. */
    static final int MAX_CONTRIBUTION_ROWS = 250_000;
    /** Key combinations examined for structural zeros at most. */
    static final int MAX_COMBINATIONS = 10_000;

    /** A report with the unit sets of its released cells, recorded in the history once the output is released. */
    public record Analysis(DisclosureReport report, List<ReleaseHistory.ReleasedCell> cells) {
        public Analysis {
            cells = List.copyOf(cells);
        }
    }

    private final GuardCatalog catalog;
    private final Tracing tracer;
    private final ReleaseHistory history;
    private final UnitKeys unitKeys;
    private final java.util.function.ToLongFunction<String> tableRows;

    public DisclosureAnalyzer(GuardCatalog catalog, ReleaseHistory history, SecureRandom random) {
        this(catalog, history, random, table -> -1);
    }

    /**
     * @param tableRows the registered row count of a table (-1 when unknown): a table with more rows than
     *     {@link #MAX_CONTRIBUTION_ROWS} may give more person-cells than are read, so its query is not traced
     *     at all, instead of paying for a regrouping by person over all its rows and then discarding it
     */
    public DisclosureAnalyzer(GuardCatalog catalog, ReleaseHistory history, SecureRandom random,
                              java.util.function.ToLongFunction<String> tableRows) {
        this(catalog, history, random, tableRows, new CellTracer(catalog)::trace);
    }

    /** Traces a query's cells ({@link CellTracer}); tests pass a counting fake. */
    @FunctionalInterface
    interface Tracing {
        CellTracer.Traced trace(String sql, Scenario scenario) throws CellTracer.NotTraced;
    }

    DisclosureAnalyzer(GuardCatalog catalog, ReleaseHistory history, SecureRandom random,
                       java.util.function.ToLongFunction<String> tableRows, Tracing tracer) {
        this.tableRows = tableRows;
        this.catalog = catalog;
        this.tracer = java.util.Objects.requireNonNull(tracer, "tracer");
        this.history = history;
        this.unitKeys = new UnitKeys(random);
    }

    public ReleaseHistory history() {
        return history;
    }

    /**
     * The report of an output.
     *
     * @param submittedSql the query as the developer wrote it (the guard allowed it)
     * @param outputColumns the base columns the guard traced the output to
     * @param output the output as it would be released, read row by row from where it is kept (never whole)
     * @param outputRows how many rows it has: beyond {@link #MAX_CONTRIBUTION_ROWS} its cells are not traced
     * @param sql runs Spark SQL on the originals
     */
    public Analysis analyse(String jobId, Scenario scenario, DisclosureSettings settings, String submittedSql,
                            Set<ColumnRef> outputColumns, OutputSource output, long outputRows,
                            Function<String, Dataset<Row>> sql) {
        return analyse(jobId, scenario, settings, submittedSql, Set.of(), outputColumns, output, outputRows, sql);
    }

    /**
     * The report of an output whose query reads {@code tablesRead} (the guard's list; empty when unknown). A traced
     * query reads one table, so one table above {@link #MAX_CONTRIBUTION_ROWS} rows is not traced: decided before the
     * trace, whose planning (5-20 ms) would be discarded; the decision is the one the trace would have led to.
     */
    public Analysis analyse(String jobId, Scenario scenario, DisclosureSettings settings, String submittedSql,
                            Set<String> tablesRead, Set<ColumnRef> outputColumns, OutputSource output,
                            long outputRows, Function<String, Dataset<Row>> sql) {
        List<String> residual = residualIdentifiers(outputColumns);
        if (outputRows > MAX_CONTRIBUTION_ROWS) { // each released row is a cell at least: more than could be traced
            return untraced(settings, "the output has more than " + MAX_CONTRIBUTION_ROWS + " rows", residual);
        }
        if (tablesRead.size() == 1 && tableRows.applyAsLong(tablesRead.iterator().next()) > MAX_CONTRIBUTION_ROWS) {
            return untraced(settings, "its table has more than " + MAX_CONTRIBUTION_ROWS + " rows", residual);
        }
        CellTracer.Traced traced;
        try {
            traced = tracer.trace(submittedSql, scenario);
        } catch (CellTracer.NotTraced e) {
            return untraced(settings, e.getMessage(), residual);
        } catch (RuntimeException | AssertionError e) {
            LOG.warn("job {}: the disclosure report could not trace the query ({})", jobId, e.getClass().getName());
            return untraced(settings, "the query's cells could not be traced", residual);
        }
        if (tableRows.applyAsLong(traced.unitTable()) > MAX_CONTRIBUTION_ROWS) {
            return untraced(settings, "its table has more than " + MAX_CONTRIBUTION_ROWS + " rows", residual);
        }
        List<Row> rows;
        try {
            rows = sql.apply(traced.sparkSql()).limit(MAX_CONTRIBUTION_ROWS + 1).collectAsList();
        } catch (Exception e) { // Spark throws checked exceptions undeclared
            LOG.warn("job {}: the disclosure report's query failed ({})", jobId, e.getClass().getName());
            return untraced(settings, "the query's cells could not be computed", residual);
        }
        if (rows.size() > MAX_CONTRIBUTION_ROWS) {
            return untraced(settings, "more than " + MAX_CONTRIBUTION_ROWS + " unit contributions", residual);
        }
        String domain = domain(traced.unitTable());
        int g = traced.groupKeys();
        Map<List<String>, CellFigures> cells = new LinkedHashMap<>();
        for (Row row : rows) {
            List<String> key = new ArrayList<>(g);
            for (int i = 0; i < g; i++) {
                key.add(normal(row.get(i)));
            }
            CellFigures cell = cells.computeIfAbsent(key, x -> new CellFigures(traced.measures().size()));
            cell.units.add(unitKeys.of(domain, row.get(g)));
            for (int m = 0; m < traced.measures().size(); m++) {
                Object value = row.get(g + 2 + m);
                BigDecimal contribution = value == null ? BigDecimal.ZERO : new BigDecimal(value.toString());
                cell.contributions.get(m).add(contribution);
            }
        }
        List<String> keyNames = new ArrayList<>();
        List<DisclosureReport.Cell> reported = new ArrayList<>();
        List<ReleaseHistory.ReleasedCell> released = new ArrayList<>();
        Set<List<String>> releasedKeys = new HashSet<>();
        try (java.io.InputStream in = output.open()) {
            ArrowResults.forEachRow(in, (columns, index, resultRow) -> {
                if (keyNames.isEmpty()) {
                    traced.keyOutputColumns().forEach(c -> keyNames.add(columns.get(c)));
                }
                int r = Math.toIntExact(index);
                List<String> key = traced.keyOutputColumns().stream().map(c -> normal(resultRow.get(c))).toList();
                Map<String, String> shown = new LinkedHashMap<>();
                for (int i = 0; i < g; i++) {
                    shown.put(keyNames.get(i), key.get(i));
                }
                CellFigures figures = cells.get(key);
                if (figures == null) { // a merged remainder or a row the rewrite made: not one cell of the query
                    reported.add(new DisclosureReport.Cell(r, shown, -1, false, false, List.of(), List.of()));
                    return;
                }
                releasedKeys.add(key);
                List<DisclosureReport.Dominance> dominance = new ArrayList<>();
                boolean zero = false;
                for (int m = 0; m < traced.measures().size(); m++) {
                    CellTracer.Measure measure = traced.measures().get(m);
                    List<BigDecimal> contributions = figures.contributions.get(m);
                    BigDecimal total = contributions.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                    zero |= total.signum() == 0;
                    if (measure.sum()) {
                        dominance.add(Dominance.judge(measure.name(), contributions, settings));
                    }
                }
                List<DisclosureReport.Difference> differences = history.differences(scenario.id(), domain,
                        figures.units, settings.k());
                reported.add(new DisclosureReport.Cell(r, shown, figures.units.size(),
                        figures.units.size() < settings.k(), zero, dominance, differences));
                released.add(new ReleaseHistory.ReleasedCell(jobId, r, domain, figures.units));
            });
        } catch (java.io.IOException e) {
            LOG.warn("job {}: the disclosure report could not read the output ({})", jobId, e.getClass().getName());
            return untraced(settings, "the output could not be read", residual);
        }
        int suppressed = (int) cells.keySet().stream().filter(k -> !releasedKeys.contains(k)).count();
        List<Map<String, String>> structuralZeros = structuralZeros(keyNames, releasedKeys, cells.keySet());
        String note = structuralZeros == null ? "too many key combinations to look for structural zeros" : "";
        return new Analysis(new DisclosureReport(settings, true, note, keyNames, reported, suppressed,
                structuralZeros == null ? List.of() : structuralZeros, residual), released);
    }

    private static Analysis untraced(DisclosureSettings settings, String reason, List<String> residual) {
        return new Analysis(new DisclosureReport(settings, false, "cells not analysed: " + reason, List.of(), List.of(),
                0, List.of(), residual), List.of());
    }

    /**
     * Combinations of released key values that no row of the data has (a zero the grouping makes visible),
     * each value released in another cell; null when there are too many to look at.
     */
    private static List<Map<String, String>> structuralZeros(List<String> keyNames, Set<List<String>> released,
                                                             Set<List<String>> present) {
        if (keyNames.size() < 2 || released.isEmpty()) {
            return List.of();
        }
        List<List<String>> values = new ArrayList<>();
        long combinations = 1;
        for (int i = 0; i < keyNames.size(); i++) {
            int position = i;
            List<String> distinct = released.stream().map(k -> k.get(position)).distinct().sorted().toList();
            values.add(distinct);
            combinations *= distinct.size();
            if (combinations > MAX_COMBINATIONS) {
                return null;
            }
        }
        List<Map<String, String>> zeros = new ArrayList<>();
        List<List<String>> all = new ArrayList<>();
        all.add(List.of());
        for (List<String> column : values) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : all) {
                for (String value : column) {
                    List<String> longer = new ArrayList<>(prefix);
                    longer.add(value);
                    next.add(longer);
                }
            }
            all = next;
        }
        for (List<String> combination : all) {
            if (!present.contains(combination)) {
                Map<String, String> zero = new LinkedHashMap<>();
                for (int i = 0; i < keyNames.size(); i++) {
                    zero.put(keyNames.get(i), combination.get(i));
                }
                zeros.add(zero);
            }
        }
        return zeros;
    }

    /** Released columns whose lineage is a direct identifier or a quasi-identifier. */
    private List<String> residualIdentifiers(Set<ColumnRef> outputColumns) {
        List<String> found = new ArrayList<>();
        for (ColumnRef ref : new java.util.TreeSet<>(outputColumns)) {
            catalog.table(ref.table()).flatMap(t -> t.column(ref.column())).map(GuardColumn::role)
                    .filter(role -> role == ColumnRole.DIRECT_IDENTIFIER || role == ColumnRole.QUASI_IDENTIFIER)
                    .ifPresent(role -> found.add(ref + " (" + role.name().toLowerCase(java.util.Locale.ROOT) + ")"));
        }
        return found;
    }

    /**
     * The unit domain of a table: tables joined unit to unit (a person's visits to the person) share the first of
     * their names, so their releases are compared with each other.
     */
    private String domain(String table) {
        Map<String, String> parent = new TreeMap<>();
        for (JoinKey join : catalog.joinKeys()) {
            boolean units = isUnit(join.table(), join.column()) && isUnit(join.otherTable(), join.otherColumn());
            if (units) {
                String a = root(parent, join.table());
                String b = root(parent, join.otherTable());
                if (!a.equals(b)) {
                    parent.put(a.compareTo(b) < 0 ? b : a, a.compareTo(b) < 0 ? a : b);
                }
            }
        }
        return root(parent, table);
    }

    private boolean isUnit(String table, String column) {
        return catalog.table(table).map(t -> t.privacyUnit().name().equalsIgnoreCase(column)).orElse(false);
    }

    private static String root(Map<String, String> parent, String table) {
        String at = table.toLowerCase(java.util.Locale.ROOT);
        while (parent.containsKey(at)) {
            at = parent.get(at);
        }
        return at;
    }

    /** A key value as text, the same whether it came from Spark or from the Arrow output. */
    static String normal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Number number && !(value instanceof Double d && (d.isNaN() || d.isInfinite()))
                && !(value instanceof Float f && (f.isNaN() || f.isInfinite()))) {
            return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    /** A cell's units and each unit's contribution to each measure. */
    private static final class CellFigures {
        final Set<String> units = new HashSet<>();
        final List<List<BigDecimal>> contributions = new ArrayList<>();

        CellFigures(int measures) {
            for (int i = 0; i < measures; i++) {
                contributions.add(new ArrayList<>());
            }
        }
    }

    /** The dominance rules on one measure's contributions. */
    static final class Dominance {
        private Dominance() {
        }

        /**
         * The p% rule: the total minus the two largest contributions is below p% of the largest (the second could
         * estimate the first to within p%). The (n, k) rule: the n largest contributions exceed k% of the total.
         * Contributions are taken in absolute value.
         */
        static DisclosureReport.Dominance judge(String measure, List<BigDecimal> contributions, DisclosureSettings settings) {
            List<BigDecimal> sorted = contributions.stream().map(BigDecimal::abs)
                    .sorted(Comparator.reverseOrder()).toList();
            BigDecimal total = sorted.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            if (total.signum() == 0) {
                return new DisclosureReport.Dominance(measure, 0, false, false);
            }
            BigDecimal first = sorted.get(0);
            BigDecimal second = sorted.size() > 1 ? sorted.get(1) : BigDecimal.ZERO;
            BigDecimal rest = total.subtract(first).subtract(second);
            boolean pRule = rest.multiply(BigDecimal.valueOf(100)).compareTo(first.multiply(BigDecimal.valueOf(settings.pPercent()))) < 0;
            BigDecimal top = sorted.stream().limit(settings.dominanceN()).reduce(BigDecimal.ZERO, BigDecimal::add);
            boolean nkRule = top.multiply(BigDecimal.valueOf(100)).compareTo(total.multiply(BigDecimal.valueOf(settings.dominanceK()))) > 0;
            double share = top.divide(total, java.math.MathContext.DECIMAL64).doubleValue();
            return new DisclosureReport.Dominance(measure, Math.round(share * 1000) / 1000.0, pRule, nkRule);
        }
    }
}
