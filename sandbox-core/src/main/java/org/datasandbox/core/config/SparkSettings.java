package org.datasandbox.core.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the sandbox's Spark driver listens and what else its SparkSession is given. The embedded default
 * binds everything to loopback with random ports, which is all local mode needs; a cluster needs a driver
 * host the executors can reach, fixed ports a firewall can open, and the cluster's shared authentication
 * secret.
 *
 * @param driverHost the address executors use to reach the driver ({@code spark.driver.host})
 * @param bindAddress the local address the driver's ports bind to ({@code spark.driver.bindAddress})
 * @param driverPort the driver's RPC port, 0 for a random free one
 * @param blockManagerPort the driver's block manager port, 0 for a random free one
 * @param secretFile a file holding the cluster's shared authentication secret: required by a standalone
 *        master (Spark generates its own per context in local mode and on YARN); read at start, kept in
 *        memory only, never in a setting that Spark shows unredacted
 * @param extra further {@code spark.*} settings, e.g. executor memory and cores; they may not weaken what
 *        the sandbox enforces (see {@link #PROTECTED})
 */
public record SparkSettings(String driverHost, String bindAddress, int driverPort, int blockManagerPort,
                            Optional<Path> secretFile, Map<String, String> extra) {

    /** Settings the sandbox fixes itself: authentication, encryption, UI and file queries off, the secret. */
    public static final Set<String> PROTECTED = Set.of("spark.authenticate", "spark.authenticate.secret",
            "spark.network.crypto.enabled", "spark.io.encryption.enabled", "spark.ui.enabled",
            "spark.sql.runSQLOnFiles", "spark.sql.ansi.enabled", "spark.plugins", "spark.master",
            "spark.driver.host", "spark.driver.bindAddress", "spark.driver.port", "spark.blockManager.port",
            "spark.redaction.regex", "spark.eventLog.enabled");

    /** Today's embedded values: loopback, random ports, nothing extra. */
    public static final SparkSettings LOOPBACK = new SparkSettings("127.0.0.1", "127.0.0.1", 0, 0, Optional.empty(),
            Map.of());

    public SparkSettings {
        checkHost(driverHost, "driverHost");
        checkHost(bindAddress, "bindAddress");
        checkPort(driverPort, "driverPort");
        checkPort(blockManagerPort, "blockManagerPort");
        Objects.requireNonNull(secretFile, "secretFile");
        Objects.requireNonNull(extra, "extra");
        for (String key : extra.keySet()) {
            if (!key.startsWith("spark.")) {
                throw new IllegalArgumentException("extra Spark settings must start with spark. Provided key: " + key);
            }
            if (PROTECTED.contains(key)) {
                throw new IllegalArgumentException("the sandbox sets " + key + " itself");
            }
        }
        extra = java.util.Collections.unmodifiableMap(new TreeMap<>(extra));
    }

    public SparkSettings withDriver(String host, String bind, int port, int blockManager) {
        return new SparkSettings(host, bind, port, blockManager, secretFile, extra);
    }

    public SparkSettings withSecretFile(Path file) {
        return new SparkSettings(driverHost, bindAddress, driverPort, blockManagerPort, Optional.of(file), extra);
    }

    public SparkSettings withExtra(Map<String, String> settings) {
        return new SparkSettings(driverHost, bindAddress, driverPort, blockManagerPort, secretFile, settings);
    }

    private static void checkHost(String host, String name) {
        Objects.requireNonNull(host, name);
        if (host.isBlank() || !host.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
            throw new IllegalArgumentException(name + " must be a host name or address. Provided value: " + host);
        }
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0 (any free port) to 65535. Provided value: " + port);
        }
    }
}
