package org.datasandbox.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.crypto.KeyAccessDeniedException;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.custody.MasterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key path of a cluster, without a cluster: an executor's KMS client (no vault in its JVM) sends each wrap
 * and unwrap to the driver's plugin, which alone holds the dataset key; what it sends is the key id and, for a
 * wrap, the key-encryption key, and never a dataset key.
 */
class DriverKeyPluginTest {
    private static final CryptoProfile SM = CryptoProfile.of(CryptoProfile.Kind.SM);

    @TempDir
    Path dir;

    /** The executor's channel to the driver: hands every request to the driver side, in this JVM. */
    private static final class LoopbackContext {
        final List<Object> sent = new ArrayList<>();
        final PluginContext context;

        LoopbackContext(DriverPlugin driver) {
            // a proxy: the test needs only ask(), and no other type of Spark's plugin context
            context = (PluginContext) java.lang.reflect.Proxy.newProxyInstance(PluginContext.class.getClassLoader(),
                    new Class<?>[] {PluginContext.class}, (proxy, method, args) -> {
                        if (!method.getName().equals("ask")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        sent.add(args[0]);
                        return driver.receive(args[0]);
                    });
        }
    }

    @Test
    void driverSide_wrapThenUnwrap_returnsTheKeyEncryptionKey() throws Exception {
        KeyVault vault = KeyVault.open(dir.resolve("keys"), SM, MasterKey.inMemory(SM, SM.newSymmetricKey()));
        vault.createKey("dataset_people");
        DriverPlugin driver = new DriverKeyPlugin().driverPlugin();
        byte[] kek = SM.newSymmetricKey();
        String wrapped = (String) driver.receive(new DriverKeyPlugin.Wrap(kek, vault.keyId("dataset_people")));
        assertThat((byte[]) driver.receive(new DriverKeyPlugin.Unwrap(wrapped, vault.keyId("dataset_people"))))
                .isEqualTo(kek);
        byte[] dataKey = vault.secret("dataset_people");
        assertThat(java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(wrapped)))
                .doesNotContain(java.util.HexFormat.of().formatHex(dataKey));
    }

    @Test
    void driverSide_unknownVaultOrMessage_isRefused() {
        DriverPlugin driver = new DriverKeyPlugin().driverPlugin();
        assertThatThrownBy(() -> driver.receive(new DriverKeyPlugin.Unwrap("AAAA", "no-such-vault/dataset_people")))
                .isInstanceOf(KeyAccessDeniedException.class);
        assertThatThrownBy(() -> driver.receive("dataset_people")).isInstanceOf(KeyAccessDeniedException.class)
                .hasMessage("unknown key request");
    }

    @Test
    void executorClient_noVaultInItsJvm_asksTheDriverAndGetsItsAnswer() throws Exception {
        long served = DriverKeyPlugin.servedRequests();
        // the driver's answers for a vault this "executor" does not have: a fake driver, so the vault stays remote
        DriverPlugin driver = new DriverPlugin() {
            @Override
            public Object receive(Object message) {
                return message instanceof DriverKeyPlugin.Wrap ? "wrapped-by-the-driver" : new byte[] {7, 7, 7};
            }
        };
        LoopbackContext channel = new LoopbackContext(driver);
        ExecutorPlugin executor = new DriverKeyPlugin().executorPlugin();
        executor.init(channel.context, Map.of());
        try {
            SandboxKmsClient client = new SandboxKmsClient();
            byte[] kek = {1, 2, 3, 4};
            assertThat(client.wrapKey(kek, "remote-vault/dataset_people")).isEqualTo("wrapped-by-the-driver");
            assertThat(client.unwrapKey("d3JhcHBlZA==", "remote-vault/dataset_people")).containsExactly(7, 7, 7);
            assertThat(channel.sent).hasSize(2);
            assertThat(channel.sent.get(0)).isInstanceOfSatisfying(DriverKeyPlugin.Wrap.class, w -> {
                assertThat(w.key()).isEqualTo(kek);
                assertThat(w.masterKeyIdentifier()).isEqualTo("remote-vault/dataset_people");
            });
            assertThat(channel.sent.get(1)).isEqualTo(new DriverKeyPlugin.Unwrap("d3JhcHBlZA==", "remote-vault/dataset_people"));
            assertThat(DriverKeyPlugin.servedRequests()).as("the fake driver is not the plugin's").isEqualTo(served);
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void executorClient_driverRefuses_isAKeyAccessDenialWithoutKeyBytes() {
        DriverPlugin refusing = new DriverPlugin() {
            @Override
            public Object receive(Object message) throws Exception {
                throw new IllegalStateException("refused");
            }
        };
        ExecutorPlugin executor = new DriverKeyPlugin().executorPlugin();
        executor.init(new LoopbackContext(refusing).context, Map.of());
        try {
            assertThatThrownBy(() -> new SandboxKmsClient().unwrapKey("c2VjcmV0", "remote-vault/dataset_people"))
                    .isInstanceOf(KeyAccessDeniedException.class)
                    .hasMessage("the driver refused a key of remote-vault/dataset_people");
        } finally {
            executor.shutdown();
        }
    }
}
