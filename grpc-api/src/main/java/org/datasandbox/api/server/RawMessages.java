package org.datasandbox.api.server;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Messages as the bytes that came over the wire: the server's transport hands these on unparsed, and
 * each method's own marshaller parses them inside the interceptor chain, where a parse failure is mapped
 * and recorded like any other error (the transport itself would close the call as UNKNOWN, unrecorded).
 */
final class RawMessages {
    static final MethodDescriptor.Marshaller<byte[]> MARSHALLER = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private RawMessages() {
    }
}
