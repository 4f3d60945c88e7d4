package org.datasandbox.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthClientBootstrap;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.server.NoOpRpcHandler;
import org.apache.spark.network.util.MapConfigProvider;
import org.apache.spark.network.util.TransportConf;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.TestSandbox;
import org.junit.jupiter.api.Test;

/**
 * Spark's driver port, as another local process sees it: a caller without this instance's secret, or with
 * another, is turned away; one with the secret (the control) gets through, so the refusals are the
 * authentication and not a closed port.
 */
class SparkInternalPortsTest {
    private static final String SASL_USER = "sparkSaslUser";

    @Test
    void driverPort_withoutOrWithAnotherSecret_isRefusedAndWithTheSecretAccepted() throws Exception {
        // the secret is only read for the control below; it is in memory, in no file or setting
        TestSandbox.get();
        SparkConf conf = SparkSession.active().sparkContext().getConf();
        int port = Integer.parseInt(conf.get("spark.driver.port"));
        assertThat(conf.get("spark.authenticate")).isEqualTo("true");
        String secret = org.apache.spark.SparkEnv.get().securityManager().getSecretKey();
        assertThat(secret).as("Spark's own per-context secret").hasSizeGreaterThanOrEqualTo(40);
        assertThat(conf.get("spark.network.crypto.enabled")).isEqualTo("true");
        assertThat(conf.get("spark.io.encryption.enabled")).isEqualTo("true");
        assertThat(conf.get("spark.sql.artifact.isolation.enabled"))
                .as("no per-session class loader fetching generated classes from the driver").isEqualTo("false");

        TransportConf transport = new TransportConf("rpc", new MapConfigProvider(Map.of(
                "spark.network.crypto.enabled", "true", "spark.rpc.io.numConnectionsPerPeer", "1")));
        try (TransportContext context = new TransportContext(transport, new NoOpRpcHandler())) {
            try (TransportClientFactory unauthenticated = context.createClientFactory(List.of())) {
                TransportClient client = unauthenticated.createUnmanagedClient("127.0.0.1", port);
                assertThatThrownBy(() -> client.sendRpcSync(ByteBuffer.wrap(new byte[] {1, 2, 3}), 10_000))
                        .isInstanceOf(RuntimeException.class);
                client.close();
            }
            try (TransportClientFactory wrong = context.createClientFactory(List.of(
                    new AuthClientBootstrap(transport, SASL_USER, holder("0".repeat(64)))))) {
                assertThatThrownBy(() -> wrong.createUnmanagedClient("127.0.0.1", port)).isNotNull();
            }
            try (TransportClientFactory right = context.createClientFactory(List.of(
                    new AuthClientBootstrap(transport, SASL_USER, holder(secret))))) {
                TransportClient client = right.createUnmanagedClient("127.0.0.1", port);
                assertThat(client.isActive()).isTrue();
                client.close();
            }
        }
    }

    private static SecretKeyHolder holder(String secret) {
        return new SecretKeyHolder() {
            @Override
            public String getSaslUser(String appId) {
                return SASL_USER;
            }

            @Override
            public String getSecretKey(String appId) {
                return secret;
            }
        };
    }
}
