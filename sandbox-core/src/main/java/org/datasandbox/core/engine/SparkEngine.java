package org.datasandbox.core.engine;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.config.SandboxConfig;

/**
 * The sandbox's Spark: a session for the originals and a separate session for masked samples, so that
 * a table name resolves to the original in one and to its sample in the other and never to both.
 * Spark's web UI and file-path queries are off, its local shuffle and spill files are encrypted, and its
 * internal ports (bound to loopback) require a per-instance secret and encrypt their traffic: nothing in
 * Spark may show or leave rows.
 * One SparkContext per JVM; a second sandbox in the same JVM (tests) shares it.
 */
public final class SparkEngine implements AutoCloseable {
    private static final AtomicReference<SparkSession> SHARED = new AtomicReference<>();

    private final SparkSession originals;
    private final SparkSession samples;
    private final JobProgressListener progress;

    private SparkEngine(SparkSession originals, JobProgressListener progress) {
        this.originals = originals;
        this.samples = originals.newSession();
        this.progress = progress;
    }

    public static synchronized SparkEngine start(SandboxConfig config) {
        SparkSession base = SHARED.get();
        if (base == null || base.sparkContext().isStopped()) {
            base = SparkSession.builder()
                    .appName("data-sandbox")
                    .master(config.sparkMaster())
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.runSQLOnFiles", "false")
                    // developers share executors in turn: each job runs in its developer's pool (JobManager)
                    .config("spark.scheduler.mode", "FAIR")
                    // Shuffle and spill files hold rows of the originals: encrypt them on local disk too.
                    .config("spark.io.encryption.enabled", "true")
                    // Spark's driver, block manager and shuffle ports take only callers that know this
                    // instance's secret, and encrypt what they carry (rows travel there). In local mode Spark
                    // makes a random 256-bit secret per context itself; a cluster master needs the operator's
                    // shared secret (SPARK_AUTH_SECRET or spark.authenticate.secret), and Spark refuses to start
                    // without one.
                    .config("spark.authenticate", "true")
                    .config("spark.network.crypto.enabled", "true")
                    // Spark 4 gives every newSession() (each job's, the samples') its own class loader that asks
                    // the driver for generated classes over RPC; under load that fetch breaks off and the task fails
                    // (RemoteClassLoaderError, seen in ThresholdAggregateBenchmark). The sandbox adds no artifacts
                    // to a session, so the isolation buys nothing here: one class loader for all sessions.
                    .config("spark.sql.artifact.isolation.enabled", "false")
                    // No error may depend on a value: with ANSI off, division by zero, bad casts and
                    // overflow give NULL instead of failing, so a failure cannot serve as an oracle.
                    .config("spark.sql.ansi.enabled", "false")
                    .config("spark.sql.shuffle.partitions", Integer.toString(config.shufflePartitions()))
                    .config("spark.sql.adaptive.enabled", "true")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.datetime.java8API.enabled", "true")
                    .config("spark.sql.catalogImplementation", "in-memory")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.warehouse.dir", config.dataDir().resolve("spark-warehouse").toUri().toString())
                    .config("spark.local.dir", config.dataDir().resolve("spark-tmp").toString())
                    .getOrCreate();
            SHARED.set(base);
        }
        JobProgressListener listener = new JobProgressListener();
        base.sparkContext().addSparkListener(listener);
        return new SparkEngine(base.newSession(), listener);
    }

    /** The session whose tables are the originals. */
    public SparkSession originals() {
        return originals;
    }

    /** The session whose tables are the masked samples. */
    public SparkSession samples() {
        return samples;
    }

    public JobProgressListener progress() {
        return progress;
    }

    @Override
    public void close() {
        originals.sparkContext().removeSparkListener(progress);
    }

    /** Stops the shared Spark context; for process shutdown. */
    public static synchronized void stopShared() {
        SparkSession base = SHARED.getAndSet(null);
        if (base != null) {
            base.stop();
        }
    }
}
