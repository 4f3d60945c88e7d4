package org.datasandbox.core.oracle;

import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.guard.QueryGuard;
import org.datasandbox.guard.catalog.Scenario;

/**
 * What the oracle tests share in one test JVM: the generated population, its neighbours registered in
 * a Spark session of their own (the JVM's one SparkContext), the guard over {@link OracleCatalog}, k.
 */
final class OracleFixture {
    static final int K = 5;
    static final int PEOPLE = 40;
    static final long SEED = 20261129L;
    /** People removed or changed together in the group-testing step of {@link PerturbationOracle}. */
    static final int BLOCK = 4;

    private static OracleFixture shared;

    final OracleData data;
    final PerturbationOracle oracle;
    final QueryGuard guard = new QueryGuard(new OracleCatalog());
    final Scenario scenario = OracleCatalog.scenario(K);

    private OracleFixture() {
        TestSandbox.get();
        data = OracleData.generate(PEOPLE, SEED);
        oracle = PerturbationOracle.over(SparkSession.builder().getOrCreate().newSession(), data, BLOCK, K);
    }

    static synchronized OracleFixture get() {
        if (shared == null) {
            shared = new OracleFixture();
        }
        return shared;
    }
}
