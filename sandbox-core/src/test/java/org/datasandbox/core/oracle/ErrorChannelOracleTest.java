package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.batch.BatchResult;
import org.datasandbox.core.batch.BatchRunner;
import org.datasandbox.core.config.SandboxConfig;
import org.junit.jupiter.api.Test;

/**
 * The error channel, judged through the whole runtime: the same generated queries go through
 * {@code sandbox query}'s path (registration of CSV originals under {@code oracle/policies}, the guard,
 * Spark, release, error mapping) on {@link OracleData} and on its neighbours (one person removed with all
 * their rows; one person's measures changed). <b>The rule: what a developer learns from a query besides its
 * released rows (the decision, the rule, the message, the error code) is the same on every neighbour</b>:
 * an error never depends on a row value. Error references (random per failure) are the only text allowed
 * to differ. The neighbours are the person the data makes unique (the only "rare" diagnosis, whom a
 * generated filter can single out) and a person picked by the seed.
 */
class ErrorChannelOracleTest {
    static final int QUERIES = Integer.getInteger("oracle.errors.queries", 80);
    /** SqlFuzzer's queries too: more of them are allowed, so more run on the originals. */
    static final int FUZZ_QUERIES = Integer.getInteger("oracle.errors.fuzz", 40);
    static final long SEED = Long.getLong("oracle.errors.seed", 31L);
    private static final Pattern REFERENCE = Pattern.compile("reference [0-9a-fA-F-]+");

    @Test
    void runtime_grammarQueries_sameErrorsOnEveryNeighbour() throws Exception {
        TestSandbox.get(); // the JVM's SparkSession, shared by the runners' sandboxes
        OracleData data = OracleData.generate(OracleFixture.PEOPLE, OracleFixture.SEED);
        long rare = data.people().stream().filter(p -> p.diagnosis().equals("rare")).findFirst().orElseThrow().pid();
        long picked = data.people().get((int) (SEED % data.people().size())).pid();
        List<String> queries = new ArrayList<>();
        new GrammarSqlGenerator(SEED).generate(QUERIES).forEach(q -> queries.add(q.sql()));
        new SqlFuzzer(SEED).generate(FUZZ_QUERIES).forEach(q -> queries.add(q.sql()));
        List<String> base = outcomes(data, queries);
        List<String> differences = new ArrayList<>();
        List<List<String>> neighbours = List.of(outcomes(data.without(rare), queries), outcomes(data.changed(picked), queries));
        for (List<String> other : neighbours) {
            for (int i = 0; i < queries.size(); i++) {
                if (!base.get(i).equals(other.get(i))) {
                    differences.add(queries.get(i) + "\n    D: " + base.get(i) + "\n    neighbour: " + other.get(i));
                }
            }
        }
        long allowed = base.stream().filter(o -> o.startsWith("ALLOW")).count();
        long failed = base.stream().filter(o -> o.startsWith("ALLOW") && !o.endsWith("|null")).count();
        System.out.printf("error-channel oracle: %d generated (seed %d: %d by the grammar, %d by SqlFuzzer) on D and 2"
                + " neighbours, %d allowed (%d not released: an error or review), %d refused, %d outcomes that differ%n",
                queries.size(), SEED, QUERIES, FUZZ_QUERIES, allowed, failed, queries.size() - allowed, differences.size());
        differences.forEach(d -> System.out.println("ERROR CHANNEL " + d));
        assertThat(allowed).as("allowed generated queries").isGreaterThanOrEqualTo(5);
        assertThat(differences).as("decisions, rules, messages or error codes that depend on one person").isEmpty();
    }

    /** Each query's outcome besides its rows: decision|rule|message|error, references masked. */
    private static List<String> outcomes(OracleData data, List<String> queries) throws IOException {
        Path dir = Files.createTempDirectory("error-channel-data");
        write(data, dir);
        Path policies = Path.of(ErrorChannelOracleTest.class.getResource("/oracle/policies").getPath());
        List<String> out = new ArrayList<>();
        try (BatchRunner runner = BatchRunner.open(policies, dir, Optional.of("oracle"),
                SandboxConfig.embedded(Files.createTempDirectory("error-channel-work")).withSampleRows(20))) {
            for (int i = 0; i < queries.size(); i++) {
                BatchResult result = runner.run("q" + i, queries.get(i));
                String message = result.message() == null ? "" : REFERENCE.matcher(result.message()).replaceAll("reference #");
                out.add(result.decision() + "|" + result.rule() + "|" + message + "|" + result.error());
            }
        }
        return out;
    }

    private static void write(OracleData data, Path dir) throws IOException {
        List<String> people = new ArrayList<>(List.of("pid,name,phone,gender,district,age,birth_date,income,diagnosis"));
        for (OracleData.Person p : data.people()) {
            people.add(p.pid() + "," + p.name() + "," + p.phone() + "," + p.gender() + "," + p.district() + "," + p.age() + ","
                    + p.birthDate() + "," + p.income() + "," + p.diagnosis());
        }
        List<String> visits = new ArrayList<>(List.of("visit_id,pid,hospital,visit_date,icd10,cost"));
        for (OracleData.Visit v : data.visits()) {
            visits.add(v.visitId() + "," + v.pid() + "," + v.hospital() + "," + v.visitDate() + "," + v.icd10() + "," + v.cost());
        }
        List<String> labs = new ArrayList<>(List.of("pid,test,result,flag"));
        for (OracleData.Lab l : data.labs()) {
            labs.add(l.pid() + "," + l.test() + "," + l.result() + "," + l.flag());
        }
        Files.write(dir.resolve("people.csv"), people);
        Files.write(dir.resolve("visits.csv"), visits);
        Files.write(dir.resolve("labs.csv"), labs);
    }
}
