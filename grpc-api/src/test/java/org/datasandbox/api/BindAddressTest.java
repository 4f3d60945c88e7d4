package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import org.datasandbox.api.server.SandboxServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The server listens on loopback unless told otherwise: from another interface of the same host the port is
 * closed, while a server bound to every interface (the control) answers there.
 */
class BindAddressTest {
    private final GrpcFixture fixture = GrpcFixture.get();

    @Test
    void start_byDefault_listensOnLoopbackOnly() throws Exception {
        assertThat(fixture.server.addresses()).isNotEmpty().allSatisfy(address ->
                assertThat(((InetSocketAddress) address).getAddress().isLoopbackAddress()).isTrue());
        Optional<InetAddress> external = externalAddress();
        Assumptions.assumeTrue(external.isPresent(), "this host has no non-loopback IPv4 address to connect from");
        assertThatThrownBy(() -> connect(external.get(), fixture.server.port())).isInstanceOf(java.io.IOException.class);
        try (SandboxServer everywhere = SandboxServer.start(fixture.sandbox, "0.0.0.0", 0)) {
            connect(external.get(), everywhere.port()); // the control: the same address reaches a server bound to it
        }
    }

    private static void connect(InetAddress address, int port) throws java.io.IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
        }
    }

    private static Optional<InetAddress> externalAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(nic -> {
            try {
                return nic.isUp() && !nic.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
    }
}
