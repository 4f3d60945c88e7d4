package org.datasandbox.sample.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.masking.function.Keep;
import org.datasandbox.masking.function.ValueType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A child table anonymized with its parent's release, checked by an oracle that joins the two outputs on the unit in
 * Java and recounts every class of the joined known columns: k people and l diagnoses, and every child row joins a
 * person of the parent's release. The same child anonymized alone fails the recount (the join is what narrows).
 */
class LinkedAnonymizerTest {
    private static final int K = 4;
    private static final int L = 2;
    private static final Generalization KEEP = Generalization.of(ValueType.STRING, new Keep(), Double.NaN, Double.NaN);
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = org.datasandbox.sample.TestSpark.session();
    }

    private static Dataset<Row> people(long seed) {
        return spark.sql("SELECT id AS unit, CASE WHEN rand(" + seed + ") < 0.5 THEN 'f' ELSE 'm' END AS sex, "
                + "concat('D', CAST(CAST(rand(" + (seed + 1) + ") * 10 AS INT) AS STRING)) AS district, "
                + "concat('X', CAST(CAST(rand(" + (seed + 2) + ") * 4 AS INT) AS STRING)) AS diagnosis FROM range(120)");
    }

    /** One to three visits per person, at one of four hospitals. */
    private static Dataset<Row> visits(long seed) {
        return spark.sql("SELECT id % 120 AS unit, concat('H', CAST(CAST(rand(" + seed + ") * 4 AS INT) AS STRING)) AS hospital "
                + "FROM range(240) WHERE id < 120 OR rand(" + (seed + 1) + ") < 0.5");
    }

    private static AnonymitySpec parentSpec() {
        Map<String, Generalization> known = new LinkedHashMap<>();
        known.put("sex", KEEP);
        known.put("district", KEEP);
        return new AnonymitySpec("unit", known, List.of("diagnosis"), K, L, AnonymitySpec.DEFAULT_MAX_SUPPRESSED_SHARE);
    }

    private static AnonymitySpec childSpec() {
        return new AnonymitySpec("unit", Map.of("hospital", KEEP), List.of(), K, 1, AnonymitySpec.DEFAULT_MAX_SUPPRESSED_SHARE);
    }

    private static final LinkedTables LINKS = new LinkedTables(new LinkedTable("visits", "unit", "",
            Optional.of(new LinkedTable("people", "unit", "", Optional.empty()))), List.of(), true);

    @Test
    void anonymize_childWithItsParentsRelease_everyJoinedClassHasKPeopleAndLDiagnoses() {
        for (long seed : new long[] {3}) {
            Dataset<Row> parentRows = KlAnonymizer.anonymize(people(seed), parentSpec()).rows().cache();
            ParentRelease parent = new ParentRelease("people", "unit", parentRows, parentRows, List.of("sex", "district"), List.of("diagnosis"));
            Dataset<Row> child = LinkedAnonymizer.withSuppressedParentsRemoved(visits(seed), LINKS, Optional.of(parentRows));
            KlAnonymizer.Anonymized anonymized = LinkedAnonymizer.anonymize(child, LINKS, childSpec(), Optional.of(parent));
            assertThat(anonymized.rows().columns()).as("the parent's columns leave before storing").containsExactly("unit", "hospital");
            assertThat(anonymized.levels()).as("levels of the child's own columns only").containsOnlyKeys("hospital");
            List<String> violations = violations(parentRows.collectAsList(), anonymized.rows().collectAsList());
            assertThat(violations).as("seed %d", seed).isEmpty();
            assertThat(anonymized.rows().count()).as("seed %d: not emptied to pass", seed).isGreaterThan(120);
            parentRows.unpersist();
        }
    }

    @Test
    void anonymize_childAlone_failsTheJoinedRecount() {
        Dataset<Row> parentRows = KlAnonymizer.anonymize(people(3), parentSpec()).rows().cache();
        Dataset<Row> child = LinkedAnonymizer.withSuppressedParentsRemoved(visits(3), LINKS, Optional.of(parentRows));
        KlAnonymizer.Anonymized alone = LinkedAnonymizer.anonymize(child, LINKS, childSpec(), Optional.empty());
        assertThat(violations(parentRows.collectAsList(), alone.rows().collectAsList())).isNotEmpty();
        parentRows.unpersist();
    }

    @Test
    void withSuppressedParentsRemoved_pseudonymsDoNotMatch_keepsEveryRow() {
        LinkedTables unjoined = new LinkedTables(LINKS.table(), List.of(), false);
        Dataset<Row> visits = visits(5);
        Dataset<Row> none = spark.sql("SELECT CAST(-1 AS BIGINT) AS unit");
        assertThat(LinkedAnonymizer.withSuppressedParentsRemoved(visits, unjoined, Optional.of(none)).count()).isEqualTo(visits.count());
        assertThat(LinkedAnonymizer.withSuppressedParentsRemoved(visits, LINKS, Optional.of(none)).count()).isZero();
    }

    /** Every joined class below k people or l diagnoses, and every child row without its person, recounted in Java. */
    private static List<String> violations(List<Row> parent, List<Row> child) {
        Map<Long, Row> people = new HashMap<>();
        parent.forEach(p -> people.put(p.<Long>getAs("unit"), p));
        Map<List<Object>, Set<Long>> units = new HashMap<>();
        Map<List<Object>, Set<Object>> diagnoses = new HashMap<>();
        List<String> violations = new java.util.ArrayList<>();
        for (Row visit : child) {
            Row person = people.get(visit.<Long>getAs("unit"));
            if (person == null) {
                violations.add("a visit without its person");
                continue;
            }
            List<Object> key = java.util.Arrays.asList(visit.getAs("hospital"), person.getAs("sex"), person.getAs("district"));
            units.computeIfAbsent(key, x -> new HashSet<>()).add(visit.<Long>getAs("unit"));
            diagnoses.computeIfAbsent(key, x -> new HashSet<>()).add(person.getAs("diagnosis"));
        }
        units.forEach((key, held) -> {
            if (held.size() < K || diagnoses.get(key).size() < L) {
                violations.add("class of " + held.size() + " people, " + diagnoses.get(key).size() + " diagnoses");
            }
        });
        return violations;
    }
}
