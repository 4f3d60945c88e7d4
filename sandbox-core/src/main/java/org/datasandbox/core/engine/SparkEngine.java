package org.datasandbox.core.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.config.SparkSettings;
import org.datasandbox.core.storage.DriverKeyPlugin;
import org.datasandbox.core.storage.JdkCipherJit;

/**
 * The sandbox's Spark: a session for the originals and a separate session for masked samples, so that
 * a table name resolves to the original in one and to its sample in the other and never to both.
 * Spark's web UI and file-path queries are off, its local shuffle and spill files are encrypted, and its
 * internal ports (bound to loopback unless {@link SparkSettings} say otherwise) require the application's
 * secret (per context in local mode, the cluster's shared one on a standalone cluster) and encrypt their
 * traffic: nothing in Spark may show or leave rows.
 * <p>Spark allows one SparkContext per JVM. Every sandbox gets sessions of its own ({@code newSession}:
 * its own tables and settings), over the one context; a second sandbox in the same JVM whose Spark
 * configuration (master, driver addresses and ports, extra settings, secret) differs from the running
 * context's is refused, because it would otherwise silently run on a context configured for another.
 * Executors on a cluster reach the dataset keys only through {@link DriverKeyPlugin}.
 */
public final class SparkEngine implements AutoCloseable {
    private static final AtomicReference<SparkSession> SHARED = new AtomicReference<>();
    /** What the running context was started with, to refuse a sandbox that asks for something else. */
    private static final AtomicReference<ContextKey> SHARED_KEY = new AtomicReference<>();

    /** The settings that make a context: two sandboxes share one only when these are equal. */
    private record ContextKey(String master, SparkSettings settings) {
    }

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
        ContextKey key = new ContextKey(config.sparkMaster(), config.spark());
        if (base != null && !base.sparkContext().isStopped() && !key.equals(SHARED_KEY.get())) {
            throw new IllegalStateException("Spark is already running in this JVM with another configuration "
                    + "(master, driver addresses, ports or settings): one SparkContext per JVM; stop the other sandbox "
                    + "first or give this one the same Spark settings");
        }
        if (base == null || base.sparkContext().isStopped()) {
            SparkSettings spark = config.spark();
            SparkSession.Builder builder = SparkSession.builder()
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
                    .config("spark.driver.host", spark.driverHost())
                    .config("spark.driver.bindAddress", spark.bindAddress())
                    .config("spark.driver.port", Integer.toString(spark.driverPort()))
                    .config("spark.blockManager.port", Integer.toString(spark.blockManagerPort()))
                    // Executors of a cluster wrap and unwrap Parquet's keys through the driver, over Spark's
                    // authenticated and encrypted RPC; no key is in any setting (DriverKeyPlugin).
                    .config("spark.plugins", DriverKeyPlugin.class.getName())
                    // a cluster's executors decrypt Parquet pages: the JDK's AES-GCM at hardware speed there too
                    // (a deployer's spark.executor.extraJavaOptions still add to it)
                    .config("spark.executor.defaultJavaOptions", JdkCipherJit.FLAGS)
                    .config("spark.sql.warehouse.dir", config.dataDir().resolve("spark-warehouse").toUri().toString())
                    // the context serves every sandbox of the JVM and outlives the one that started it: its
                    // scratch directory is its own, never under a data directory that may go (a closed sandbox's,
                    // a test's temporary folder) while the context still writes blocks there
                    .config("spark.local.dir", contextScratch().toString());
            for (Map.Entry<String, String> setting : spark.extra().entrySet()) {
                builder.config(setting.getKey(), setting.getValue());
            }
            if (spark.secretFile().isPresent()) {
                // a cluster's shared secret: Spark keeps it in memory, redacts it wherever it shows settings
                // (spark.redaction.regex matches "secret") and hands it to executors in their environment,
                // never on a command line
                builder.config("spark.authenticate.secret", readSecret(spark.secretFile().get()));
            }
            base = builder.getOrCreate();
            SHARED.set(base);
            SHARED_KEY.set(key);
        }
        JobProgressListener listener = new JobProgressListener();
        base.sparkContext().addSparkListener(listener);
        return new SparkEngine(base.newSession(), listener);
    }

    /**
     * A fresh directory for the context's shuffle and spill files (encrypted, see above), readable by this user only;
     * Spark deletes what it wrote there when the context stops, the directory itself goes when the JVM exits. A
     * deployer who wants them on another disk sets {@code spark.local.dir} among the extra settings.
     */
    private static Path contextScratch() {
        try {
            Path dir = Files.createTempDirectory("data-sandbox-spark-"); // rwx------ on POSIX
            dir.toFile().deleteOnExit(); // runs after Spark's shutdown hook has removed its block manager folders
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Spark's scratch directory cannot be created", e);
        }
    }

    private static String readSecret(Path file) {
        try {
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.length() < 32) {
                throw new IllegalArgumentException("the Spark secret file must hold at least 32 characters: " + file);
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("the Spark secret file cannot be read: " + file, e);
        }
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
        SHARED_KEY.set(null);
        if (base != null) {
            base.stop();
        }
    }
}
