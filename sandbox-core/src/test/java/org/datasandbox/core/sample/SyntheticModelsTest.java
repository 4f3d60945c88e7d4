package org.datasandbox.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.sample.synthetic.SyntheticModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelsTest {
    private static final String POLICY = """
            kind: table-policy
            table: visits
            columns:
              - {name: id, type: integer, role: privacy_unit}
              - {name: ward, type: string, role: dimension, values: [A, B, C]}
              - {name: seen, type: date, role: dimension}
              - {name: cost, type: double, role: measure, bounds: [0, 100]}
            """;

    @TempDir
    Path dir;

    /** A restart reads the stored model back through the deserialization filter instead of spending the budget again. */
    @Test
    void model_afterRestart_isReadBack_andTheBudgetIsSpentOnce() throws Exception {
        TestSandbox.get(); // the test JVM's one SparkSession
        SparkSession spark = SparkSession.active();
        Dataset<Row> originals = spark.sql("SELECT CAST(id AS INT) AS id, element_at(array('A', 'B', 'C'), CAST(id % 3 + 1 AS INT)) AS ward, "
                + "date_add(DATE '2020-01-01', CAST(id % 700 AS INT)) AS seen, CAST(id % 97 AS DOUBLE) AS cost FROM range(300)");
        TablePolicy policy = new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM)).parse(POLICY).table().orElseThrow();
        EvidenceLedger ledger = EvidenceLedger.open(dir.resolve("ledger"), CryptoProfile.of(CryptoProfile.Kind.SM));
        var columns = SampleColumns.of(policy, originals.schema());
        assertThat(columns.get(1).domain()).containsExactly("A", "B", "C");

        SyntheticModel first = new SyntheticModels(ledger, dir.resolve("models")).model(policy, originals, columns,
                SyntheticModels.estimate(policy, columns, 300));
        SyntheticModel again = new SyntheticModels(ledger, dir.resolve("models")).model(policy, originals, columns,
                SyntheticModels.estimate(policy, columns, 300));

        assertThat(again.cost()).isEqualTo(first.cost());
        assertThat(again.dependencies()).isEqualTo(first.dependencies());
        assertThat(first.cost().delta()).isZero(); // the ward's values are public: no partition selection
        String entries = Files.readString(dir.resolve("ledger").resolve("ledger.jsonl"));
        assertThat(entries.lines().filter(l -> l.contains("sample.model_fitted"))).hasSize(1);
        assertThat(entries).contains("\"delta\":\"0.0\"");
    }
}
