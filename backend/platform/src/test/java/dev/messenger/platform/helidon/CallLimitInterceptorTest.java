package dev.messenger.platform.helidon;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CallLimitInterceptorTest {
    private final CallLimitInterceptor limit = new CallLimitInterceptor(2);
    /** Calls whose handler ran (was told the request is complete), as the handler saw them. */
    private final List<ServerCall<byte[], byte[]>> handled = new ArrayList<>();
    /** A handler that starts working at half-close and keeps going, as one waiting for the database would. */
    private final ServerCallHandler<byte[], byte[]> working = (call, headers) -> new ServerCall.Listener<>() {
        @Override
        public void onHalfClose() {
            handled.add(call);
        }
    };

    @Test
    void callsBeyondTheCapAreRefusedAtOnceAndFinishedCallsMakeRoom() {
        ServerCall.Listener<byte[]> first = start(new RecordingCall(MethodDescriptor.MethodType.UNARY));
        ServerCall.Listener<byte[]> second = start(new RecordingCall(MethodDescriptor.MethodType.UNARY));
        first.onHalfClose();
        second.onHalfClose();
        assertEquals(2, limit.inFlight());

        RecordingCall third = new RecordingCall(MethodDescriptor.MethodType.UNARY);
        start(third).onHalfClose();
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, third.closedWith.getCode());
        assertEquals("1", third.trailers.get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER)));
        assertEquals(2, handled.size(), "the refused call's handler never ran");

        // An answered call frees its place, once however often it is told.
        handled.getFirst().close(Status.OK, new Metadata());
        first.onComplete();
        assertEquals(1, limit.inFlight());
        RecordingCall fourth = new RecordingCall(MethodDescriptor.MethodType.UNARY);
        ServerCall.Listener<byte[]> fourthListener = start(fourth);
        fourthListener.onHalfClose();
        assertNull(fourth.closedWith, "admitted");
        assertEquals(2, limit.inFlight());

        // So does a call the client cancelled.
        second.onCancel();
        fourthListener.onCancel();
        assertEquals(0, limit.inFlight());
    }

    @Test
    void streamsThatNeverSendTheirRequestHoldNoPlace() {
        for (int i = 0; i < 100; i++) {
            start(new RecordingCall(MethodDescriptor.MethodType.UNARY));
        }
        assertEquals(0, limit.inFlight());
        RecordingCall real = new RecordingCall(MethodDescriptor.MethodType.UNARY);
        start(real).onHalfClose();
        assertNull(real.closedWith, "a complete request is served");
        assertEquals(1, limit.inFlight());
    }

    @Test
    void streamingCallsAreNotCounted() {
        for (int i = 0; i < 10; i++) {
            RecordingCall feed = new RecordingCall(MethodDescriptor.MethodType.SERVER_STREAMING);
            limit.interceptCall(feed, new Metadata(), working).onHalfClose();
            assertNull(feed.closedWith);
        }
        assertEquals(0, limit.inFlight());
    }

    @Test
    void aHandlerThatThrowsFreesItsPlace() {
        ServerCallHandler<byte[], byte[]> failing = (call, headers) -> new ServerCall.Listener<>() {
            @Override
            public void onHalfClose() {
                throw new IllegalStateException("handler failed");
            }
        };
        for (int i = 0; i < 5; i++) {
            ServerCall.Listener<byte[]> listener = limit.interceptCall(new RecordingCall(MethodDescriptor.MethodType.UNARY),
                    new Metadata(), failing);
            assertThrows(IllegalStateException.class, listener::onHalfClose);
        }
        assertEquals(0, limit.inFlight());
    }

    @Test
    void aCancelBeforeTheRequestCompletedNeverTakesAPlace() {
        ServerCall.Listener<byte[]> listener = start(new RecordingCall(MethodDescriptor.MethodType.UNARY));
        listener.onCancel();
        listener.onHalfClose();
        assertEquals(0, limit.inFlight());
    }

    private ServerCall.Listener<byte[]> start(RecordingCall call) {
        return limit.interceptCall(call, new Metadata(), working);
    }

    private static final class RecordingCall extends ServerCall<byte[], byte[]> {
        private final MethodDescriptor<byte[], byte[]> method;
        Status closedWith;
        Metadata trailers;

        RecordingCall(MethodDescriptor.MethodType type) {
            MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
                @Override
                public InputStream stream(byte[] value) {
                    return new ByteArrayInputStream(value);
                }

                @Override
                public byte[] parse(InputStream stream) {
                    return new byte[0];
                }
            };
            this.method = MethodDescriptor.<byte[], byte[]>newBuilder().setType(type).setFullMethodName("test.Service/Method")
                    .setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
        }

        @Override
        public void request(int numMessages) {
        }

        @Override
        public void sendHeaders(Metadata headers) {
        }

        @Override
        public void sendMessage(byte[] message) {
        }

        @Override
        public void close(Status status, Metadata trailers) {
            this.closedWith = status;
            this.trailers = trailers;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public MethodDescriptor<byte[], byte[]> getMethodDescriptor() {
            return method;
        }
    }
}
