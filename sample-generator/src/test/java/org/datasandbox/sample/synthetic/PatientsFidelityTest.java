package org.datasandbox.sample.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.sample.Patients;
import org.datasandbox.sample.TestSpark;
import org.datasandbox.sample.report.FidelityEvaluation;
import org.junit.jupiter.api.Test;

/** Fidelity of the synthetic model on a real table at epsilon 1, measured against the originals. */
class PatientsFidelityTest {

    @Test
    void fit_patientsAtEpsilonOne_keepsColumnsAndPairs() {
        Dataset<Row> patients = Patients.table();
        double one = 0;
        double two = 0;
        int runs = 3;
        for (int seed = 1; seed <= runs; seed++) {
            long t0 = System.nanoTime();
            SyntheticModel model = SyntheticSampleGenerator.fit(patients, Patients.COLUMNS, SyntheticSpec.withEpsilon(BigDecimal.ONE),
                    RandomSource.seeded(seed));
            Dataset<Row> sample = SyntheticSampleGenerator.generate(TestSpark.session(), model, 20_000, 1, seed).cache();
            long t1 = System.nanoTime();
            sample.count();
            long t2 = System.nanoTime();
            FidelityEvaluation fidelity = FidelityEvaluation.of(patients, sample, Patients.COLUMNS);
            System.out.println("seed " + seed + " 1-way " + fidelity.meanOneWay() + " 2-way " + fidelity.meanTwoWay()
                    + " corr " + fidelity.meanCorrelationDifference() + "\n " + fidelity.oneWay() + "\n " + fidelity.twoWay()
                    + "\n " + fidelity.correlationDifference() + "\n " + model.dependencies() + "\n " + model.cost().epsilon() + " " + model.cost().delta() + " fit ms " + (t1 - t0) / 1_000_000 + " gen ms " + (t2 - t1) / 1_000_000
                    + " eval ms " + (System.nanoTime() - t2) / 1_000_000);
            one += fidelity.meanOneWay();
            two += fidelity.meanTwoWay();
            sample.unpersist();
        }
        assertThat(one / runs).isLessThanOrEqualTo(0.03);
        assertThat(two / runs).isLessThanOrEqualTo(0.08);
    }
}
