package dev.messenger.server.testing;

import io.grpc.MethodDescriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** gRPC calls whose request and response are raw bytes: a real client that sends whatever a test gives it. */
public final class RawBytes {
    public static final MethodDescriptor.Marshaller<byte[]> MARSHALLER = new MethodDescriptor.Marshaller<>() {
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

    private RawBytes() {
    }

    /** The method, taking and giving bytes instead of its messages. */
    public static MethodDescriptor<byte[], byte[]> method(MethodDescriptor<?, ?> method) {
        return method.toBuilder(MARSHALLER, MARSHALLER).build();
    }
}
