package org.datasandbox.guard;

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

/** The four reference tables of POLICIES.md, written out by hand as a hand-made fake of the runtime catalog. */
public final class ReferenceCatalog implements GuardCatalog {
    private static final Map<String, GuardTable> TABLES = Map.of(
            "arrests", new GuardTable("arrests", List.of(
                    GuardColumn.of("id", INTEGER, PRIVACY_UNIT),
                    GuardColumn.of("released", STRING, DIMENSION),
                    GuardColumn.of("colour", STRING, DIMENSION),
                    GuardColumn.of("year", INTEGER, DIMENSION),
                    GuardColumn.of("age", INTEGER, QUASI_IDENTIFIER).withBounds(new Bounds(0, 100))
                            .withBucketing(Bucketing.numeric(5)),
                    GuardColumn.of("sex", STRING, DIMENSION),
                    GuardColumn.of("employed", STRING, DIMENSION),
                    GuardColumn.of("citizen", STRING, DIMENSION),
                    GuardColumn.of("checks", INTEGER, DIMENSION))),
            "patients", new GuardTable("patients", List.of(
                    GuardColumn.of("id", INTEGER, PRIVACY_UNIT),
                    GuardColumn.of("age", INTEGER, QUASI_IDENTIFIER).withBounds(new Bounds(0, 110))
                            .withBucketing(Bucketing.numeric(5)),
                    GuardColumn.of("sex", STRING, DIMENSION),
                    GuardColumn.of("sample_yr", INTEGER, DIMENSION),
                    GuardColumn.of("kappa", DOUBLE, MEASURE).withBounds(new Bounds(0, 50)),
                    GuardColumn.of("lambda", DOUBLE, MEASURE).withBounds(new Bounds(0, 50)),
                    GuardColumn.of("flc_grp", INTEGER, DIMENSION),
                    GuardColumn.of("creatinine", DOUBLE, MEASURE).withBounds(new Bounds(0, 10)),
                    GuardColumn.of("mgus", INTEGER, DIMENSION),
                    GuardColumn.of("futime", INTEGER, MEASURE).withBounds(new Bounds(0, 6000)),
                    GuardColumn.of("death", INTEGER, DIMENSION),
                    GuardColumn.of("chapter", STRING, DIMENSION))).withOneRowPerUnit(true),
            "residents", new GuardTable("residents", List.of(
                    GuardColumn.of("person_id", BIGINT, PRIVACY_UNIT),
                    GuardColumn.of("id_card", STRING, DIRECT_IDENTIFIER),
                    GuardColumn.of("name", STRING, DIRECT_IDENTIFIER),
                    GuardColumn.of("phone", STRING, DIRECT_IDENTIFIER),
                    GuardColumn.of("gender", STRING, DIMENSION).withPublicValues(List.of("男", "女")),
                    GuardColumn.of("birth_date", DATE, QUASI_IDENTIFIER)
                            .withBucketing(Bucketing.dates(Bucketing.DateUnit.DECADE)),
                    GuardColumn.of("district", STRING, DIMENSION),
                    GuardColumn.of("address", STRING, DIRECT_IDENTIFIER),
                    GuardColumn.of("income", DOUBLE, MEASURE).withBounds(new Bounds(0, 1_000_000)),
                    GuardColumn.of("diagnosis", STRING, SENSITIVE_ATTRIBUTE))).withOneRowPerUnit(true),
            "medical_visits", new GuardTable("medical_visits", List.of(
                    GuardColumn.of("visit_id", STRING, DIRECT_IDENTIFIER),
                    GuardColumn.of("person_id", BIGINT, PRIVACY_UNIT),
                    GuardColumn.of("hospital", STRING, DIMENSION),
                    GuardColumn.of("visit_date", DATE, QUASI_IDENTIFIER)
                            .withBucketing(Bucketing.dates(Bucketing.DateUnit.MONTH)),
                    GuardColumn.of("icd10", STRING, DIMENSION),
                    GuardColumn.of("cost", DOUBLE, MEASURE).withBounds(new Bounds(0, 100_000)))));

    private static final List<JoinKey> JOINS =
            List.of(new JoinKey("medical_visits", "person_id", "residents", "person_id"));

    @Override
    public Optional<GuardTable> table(String name) {
        return Optional.ofNullable(TABLES.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public List<JoinKey> joinKeys() {
        return JOINS;
    }

    /** A scenario granting every column of every reference table, k = 10. */
    public static Scenario everything() {
        return new Scenario("all-reference-tables", grants(), OutputMode.THRESHOLD, 10);
    }

    /** The same grants in DP mode: at most 3 groups per person, at most 2 rows per person and group. */
    public static Scenario dp() {
        return new Scenario("all-reference-tables-dp", grants(), OutputMode.DP, 10, Scenario.SmallGroups.SUPPRESS,
                new org.datasandbox.guard.catalog.ContributionBounds(3, 2));
    }

    private static Map<String, Set<String>> grants() {
        return TABLES.values().stream().collect(Collectors.toMap(
                GuardTable::name, t -> t.columns().stream().map(GuardColumn::name).collect(Collectors.toSet())));
    }
}
