package org.datasandbox.core.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.datasandbox.guard.explain.Decision;
import org.junit.jupiter.api.Test;

/**
 * The oracle's power and its precision, and the issue's attack families through the guard. The oracle does
 * not know these attacks: it only sees released outputs of D and its neighbours.
 */
class KnownAttacksTest {

    /** What today's guard (main before issue 9) released for each attack family: its rewritten SQL, frozen. */
    @Test
    void oracle_todaysReleasesOfKnownAttacks_flagsEveryOne() throws IOException {
        OracleFixture f = OracleFixture.get();
        List<String> missed = new ArrayList<>();
        List<String[]> releases = rows("/oracle/known-attacks-released.tsv");
        for (String[] release : releases) {
            PerturbationOracle.Verdict verdict = f.oracle.judge(release[2], Integer.parseInt(release[1]));
            System.out.println("attack " + release[0] + ": " + verdict.leaks() + " (" + verdict.worldsRun() + " worlds, "
                    + verdict.millis() + " ms)");
            if (!verdict.leaked()) {
                missed.add(release[0] + ": " + release[2]);
            }
        }
        assertThat(releases).hasSizeGreaterThanOrEqualTo(12);
        assertThat(missed).as("released attacks the oracle does not flag").isEmpty();
    }

    /** Thresholded analyst queries, including groups at the threshold's edge: nothing to flag. */
    @Test
    void oracle_benignReleases_flagsNone() throws IOException {
        OracleFixture f = OracleFixture.get();
        List<String> flagged = new ArrayList<>();
        for (String[] release : rows("/oracle/benign-releases.tsv")) {
            PerturbationOracle.Verdict verdict = f.oracle.judge(release[2], Integer.parseInt(release[1]));
            assertThat(verdict.baseFailure()).as(release[2]).isNull();
            assertThat(verdict.movedCells()).as("cells that move: " + release[2]).isPositive();
            if (verdict.leaked()) {
                flagged.add(release[0] + ": " + verdict.leaks());
            }
        }
        assertThat(flagged).as("benign releases the oracle flags").isEmpty();
    }

    /** The issue's families as an attacker submits them: the guard refuses each or releases nothing that leaks. */
    @Test
    void guard_knownAttacks_releaseNothingTheOracleFlags() {
        OracleFixture f = OracleFixture.get();
        List<String> leaks = new ArrayList<>();
        for (KnownAttacks.Attack attack : KnownAttacks.load(f.data).attacks()) {
            Decision decision = f.guard.check(attack.sql(), f.scenario);
            if (decision.isAllowed()) {
                PerturbationOracle.Verdict verdict = f.oracle.judge(decision.rewrittenSql().orElseThrow(), attack.keys());
                if (verdict.leaked()) {
                    leaks.add(attack.family() + ": " + attack.sql() + "\n    " + verdict.leaks());
                }
            }
        }
        leaks.forEach(l -> System.out.println("LEAK " + l));
        assertThat(leaks).as("attacks the guard allows and the oracle flags").isEmpty();
    }

    private static List<String[]> rows(String resource) throws IOException {
        try (InputStream in = KnownAttacksTest.class.getResourceAsStream(resource)) {
            List<String[]> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.split("\t"));
                }
            }
            return out;
        }
    }
}
