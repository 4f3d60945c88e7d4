package org.datasandbox.core.storage;

import java.io.Serializable;
import java.util.Map;
import org.apache.parquet.crypto.KeyAccessDeniedException;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * How executors on other machines wrap and unwrap Parquet's key-encryption keys without ever holding a
 * dataset's data key: the data keys stay in the driver's {@link KeyVault}, and an executor's
 * {@link SandboxKmsClient} sends each wrap or unwrap to the driver through Spark's plugin RPC, which runs
 * on Spark's own RPC channel (authenticated with the application's secret, AES-encrypted by
 * {@code spark.network.crypto.enabled}). Only the per-file key-encryption key crosses that channel, and the
 * executor keeps it in memory (Parquet's key cache), never on disk. Nothing key-related is in the Spark
 * configuration, the Hadoop configuration shipped with tasks, or the executors' command lines.
 */
public final class DriverKeyPlugin implements SparkPlugin {
    private static volatile PluginContext executorContext;
    private static final java.util.concurrent.atomic.AtomicLong SERVED = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverSide();
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorSide();
    }

    /** The channel to the driver, in an executor whose plugin has started; null elsewhere. */
    static PluginContext executorContext() {
        return executorContext;
    }

    /** How many key requests of executors this JVM's driver has answered (a cluster test checks they were asked). */
    public static long servedRequests() {
        return SERVED.get();
    }

    /** Asks the driver to wrap a key-encryption key with a dataset key. */
    record Wrap(byte[] key, String masterKeyIdentifier) implements Serializable {
    }

    /** Asks the driver to unwrap a key-encryption key with a dataset key. */
    record Unwrap(String wrapped, String masterKeyIdentifier) implements Serializable {
    }

    private static final class DriverSide implements DriverPlugin {
        @Override
        public Map<String, String> init(SparkContext context, PluginContext plugin) {
            return Map.of();
        }

        @Override
        public Object receive(Object message) throws KeyAccessDeniedException {
            SERVED.incrementAndGet();
            if (message instanceof Wrap wrap) {
                return SandboxKmsClient.wrapLocally(wrap.key(), wrap.masterKeyIdentifier());
            }
            if (message instanceof Unwrap unwrap) {
                return SandboxKmsClient.unwrapLocally(unwrap.wrapped(), unwrap.masterKeyIdentifier());
            }
            throw new KeyAccessDeniedException("unknown key request");
        }
    }

    private static final class ExecutorSide implements ExecutorPlugin {
        @Override
        public void init(PluginContext context, Map<String, String> extraConf) {
            executorContext = context;
        }

        @Override
        public void shutdown() {
            executorContext = null;
        }
    }
}
