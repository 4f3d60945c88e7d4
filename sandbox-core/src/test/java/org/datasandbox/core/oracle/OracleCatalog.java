package org.datasandbox.core.oracle;

import static org.datasandbox.guard.catalog.ColumnRole.DIMENSION;
import static org.datasandbox.guard.catalog.ColumnRole.DIRECT_IDENTIFIER;
import static org.datasandbox.guard.catalog.ColumnRole.MEASURE;
import static org.datasandbox.guard.catalog.ColumnRole.PRIVACY_UNIT;
import static org.datasandbox.guard.catalog.ColumnRole.QUASI_IDENTIFIER;
import static org.datasandbox.guard.catalog.ColumnRole.SENSITIVE_ATTRIBUTE;
import static org.datasandbox.guard.catalog.ColumnType.BIGINT;
import static org.datasandbox.guard.catalog.ColumnType.DATE;
import static org.datasandbox.guard.catalog.ColumnType.DOUBLE;
import static org.datasandbox.guard.catalog.ColumnType.INTEGER;
import static org.datasandbox.guard.catalog.ColumnType.STRING;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.datasandbox.guard.catalog.Bounds;
import org.datasandbox.guard.catalog.Bucketing;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;

/**
 * The guard's view of {@link OracleData}: a hand-written fake of the runtime catalog, every role present.
 * {@code people} is declared one row per person, as it is in every world of the oracles (a neighbour removes
 * or changes a person, never duplicates one), so the threshold rewrite counts its people without DISTINCT
 * wherever it proves that, and the oracles judge those counts.
 */
final class OracleCatalog implements GuardCatalog {
    static final Map<String, GuardTable> TABLES = Map.of(
            "people", new GuardTable("people", List.of(
                    GuardColumn.of("pid", BIGINT, PRIVACY_UNIT),
                    GuardColumn.of("name", STRING, DIRECT_IDENTIFIER),
                    GuardColumn.of("phone", STRING, DIRECT_IDENTIFIER),
                    GuardColumn.of("gender", STRING, DIMENSION),
                    GuardColumn.of("district", STRING, DIMENSION),
                    GuardColumn.of("age", INTEGER, QUASI_IDENTIFIER).withBounds(new Bounds(0, 100))
                            .withBucketing(Bucketing.numeric(5)),
                    GuardColumn.of("birth_date", DATE, QUASI_IDENTIFIER).withBucketing(Bucketing.dates(Bucketing.DateUnit.DECADE)),
                    GuardColumn.of("income", DOUBLE, MEASURE).withBounds(new Bounds(0, 1_000_000)),
                    GuardColumn.of("diagnosis", STRING, SENSITIVE_ATTRIBUTE))).withOneRowPerUnit(true),
            "visits", new GuardTable("visits", List.of(
                    GuardColumn.of("visit_id", STRING, DIRECT_IDENTIFIER),
                    GuardColumn.of("pid", BIGINT, PRIVACY_UNIT),
                    GuardColumn.of("hospital", STRING, DIMENSION),
                    GuardColumn.of("visit_date", DATE, QUASI_IDENTIFIER).withBucketing(Bucketing.dates(Bucketing.DateUnit.MONTH)),
                    GuardColumn.of("icd10", STRING, DIMENSION),
                    GuardColumn.of("cost", DOUBLE, MEASURE).withBounds(new Bounds(0, 10_000)))),
            "labs", new GuardTable("labs", List.of(
                    GuardColumn.of("pid", BIGINT, PRIVACY_UNIT),
                    GuardColumn.of("test", STRING, DIMENSION),
                    GuardColumn.of("result", DOUBLE, MEASURE).withBounds(new Bounds(0, 20)),
                    GuardColumn.of("flag", INTEGER, DIMENSION))));

    private static final List<JoinKey> JOINS = List.of(
            new JoinKey("visits", "pid", "people", "pid"),
            new JoinKey("labs", "pid", "people", "pid"),
            new JoinKey("labs", "pid", "visits", "pid"));

    @Override
    public Optional<GuardTable> table(String name) {
        return Optional.ofNullable(TABLES.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public List<JoinKey> joinKeys() {
        return JOINS;
    }

    /** A threshold scenario granting every column of the three tables. */
    static Scenario scenario(int k) {
        Map<String, Set<String>> grants = TABLES.values().stream().collect(Collectors.toMap(
                GuardTable::name, t -> t.columns().stream().map(GuardColumn::name).collect(Collectors.toSet())));
        return new Scenario("oracle", grants, OutputMode.THRESHOLD, k);
    }
}
