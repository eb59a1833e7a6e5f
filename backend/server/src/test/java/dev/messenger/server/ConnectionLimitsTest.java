package dev.messenger.server;

import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.MessengerChannels;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.RawHttp2;
import dev.messenger.server.testing.TestBackend;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The caps on connections and streams hold against a client that opens more than its share, and
 * what is refused is refused at once while the rest keeps working. Raw HTTP/2: requests whose
 * headers arrive without their message keep their streams open, as a slow or hostile client would.
 */
@ExtendWith(BackendExtension.class)
class ConnectionLimitsTest {
    private static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    private static final int ERROR_REFUSED_STREAM = 0x7;
    private static final String WAITING_METHOD = "/messenger.v1.UsersService/Register";

    /**
     * A client that opens more streams than the server advertised (SETTINGS_MAX_CONCURRENT_STREAMS)
     * breaks the protocol, and Helidon closes its connection (GOAWAY REFUSED_STREAM; RFC 9113 would
     * allow refusing just the one stream: Helidon defect 13). Well-behaved clients, grpc-java
     * among them, queue calls beyond the limit themselves. The violator only hurts itself: another
     * connection to the same server is served throughout.
     */
    @Test
    @Timeout(60)
    void aClientOpeningMoreStreamsThanAdvertisedLosesItsOwnConnectionOnly(TestBackend backend) {
        try (MessengerServer server = MessengerServer.start(backend.config(Map.of(
                "server.protocols.http_2.max-concurrent-streams", "20")));
             RawHttp2 violator = RawHttp2.connect("127.0.0.1", server.port());
             RawHttp2 bystander = RawHttp2.connect("127.0.0.1", server.port())) {
            Optional<RawHttp2.Frame> settings = violator.awaitFrame(frame -> frame.type() == RawHttp2.SETTINGS && frame.flags() == 0,
                    Duration.ofSeconds(5));
            assertTrue(settings.isPresent(), "the server's SETTINGS");
            assertEquals(20, setting(settings.get(), SETTINGS_MAX_CONCURRENT_STREAMS), "advertised to every client");

            int waiting = bystander.newStreamId();
            bystander.grpcHeaders(waiting, WAITING_METHOD, Map.of(), false);
            bystander.flush();

            for (int i = 0; i < 21; i++) {
                violator.grpcHeaders(violator.newStreamId(), WAITING_METHOD, Map.of(), false);
            }
            violator.flush();
            Optional<RawHttp2.Frame> goAway = violator.awaitFrame(frame -> false, Duration.ofSeconds(5));
            assertTrue(goAway.isPresent() && goAway.get().type() == RawHttp2.GOAWAY, "the 21st stream ends the violator's connection");
            assertEquals(ERROR_REFUSED_STREAM, goAway.get().errorCode());

            // The bystander's stream, opened before, is still served.
            bystander.data(waiting, RawHttp2.grpcMessage(new byte[0]), true);
            bystander.flush();
            Optional<RawHttp2.Frame> answer = bystander.awaitFrame(RawHttp2.endOf(waiting), Duration.ofSeconds(10));
            assertTrue(answer.isPresent() && answer.get().type() == RawHttp2.HEADERS, "an answer on the other connection: " + answer);
            assertEquals(3, answer.get().grpcStatus(), "INVALID_ARGUMENT for an empty Register: " + answer.get().headers());
        }
    }

    /**
     * Calls beyond messenger.max-concurrent-calls are refused at once (Helidon's own request cap does
     * not count gRPC, defect 14), while streams that have not sent their request hold no place: 50 of
     * them stay open the whole time. Registrations with a deliberately slow hash keep the one place
     * busy while the others arrive.
     */
    @Test
    @Timeout(60)
    void unaryCallsBeyondTheCapAreRefusedAtOnceWhileSilentStreamsHoldNoPlace(TestBackend backend) throws Exception {
        try (MessengerServer server = MessengerServer.start(backend.config(Map.of(
                "messenger.max-concurrent-calls", "1",
                "users.password-hash.memory-kib", "65536",
                "users.password-hash.iterations", "4")));
             RawHttp2 silent = RawHttp2.connect("127.0.0.1", server.port())) {
            for (int i = 0; i < 50; i++) {
                silent.grpcHeaders(silent.newStreamId(), WAITING_METHOD, Map.of(), false);
            }
            silent.flush();
            ManagedChannel channel = MessengerChannels.plaintext("127.0.0.1:" + server.port());
            try {
                List<Status.Code> outcomes = registerAtOnce(channel, 8);
                assertTrue(outcomes.contains(Status.Code.OK), outcomes.toString());
                assertTrue(outcomes.contains(Status.Code.RESOURCE_EXHAUSTED), "some refused while one was served: " + outcomes);
                assertTrue(outcomes.stream().allMatch(code -> code == Status.Code.OK || code == Status.Code.RESOURCE_EXHAUSTED),
                        outcomes.toString());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The outcome of each of {@code count} registrations sent at once; a refusal must be the call cap's. */
    private static List<Status.Code> registerAtOnce(ManagedChannel channel, int count) {
        var users = UsersServiceGrpc.newBlockingStub(channel);
        List<CompletableFuture<Status.Code>> calls = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                String username = "cap_" + Long.toString(System.nanoTime(), 36) + i;
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        users.withDeadlineAfter(30, TimeUnit.SECONDS).register(RegisterRequest.newBuilder()
                                .setUsername(username).setPassword("correct horse battery").build());
                        return Status.Code.OK;
                    } catch (StatusRuntimeException e) {
                        Status status = e.getStatus();
                        assertTrue(status.getCode() != Status.Code.RESOURCE_EXHAUSTED || status.getDescription().contains("busy"),
                                status.toString());
                        return status.getCode();
                    }
                }, threads));
            }
            return calls.stream().map(CompletableFuture::join).toList();
        }
    }

    @Test
    @Timeout(60)
    void connectionsBeyondTheCapWaitUntilOneCloses(TestBackend backend) {
        try (MessengerServer server = MessengerServer.start(backend.config(Map.of("server.max-tcp-connections", "3")))) {
            List<RawHttp2> connections = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawHttp2 connection = RawHttp2.connect("127.0.0.1", server.port());
                    connections.add(connection);
                    assertTrue(connection.awaitFrame(frame -> frame.type() == RawHttp2.SETTINGS, Duration.ofSeconds(5)).isPresent(),
                            "connection " + (i + 1) + " is served");
                }
                RawHttp2 fourth = RawHttp2.connect("127.0.0.1", server.port());
                connections.add(fourth);
                assertTrue(fourth.awaitFrame(frame -> frame.type() == RawHttp2.SETTINGS, Duration.ofSeconds(1)).isEmpty(),
                        "a fourth connection is not served while three are open");

                connections.removeFirst().close();
                assertTrue(fourth.awaitFrame(frame -> frame.type() == RawHttp2.SETTINGS, Duration.ofSeconds(5)).isPresent(),
                        "it is served once one of the three closes");
            } finally {
                connections.forEach(RawHttp2::close);
            }
        }
    }

    /** A SETTINGS frame's value for an identifier (6-byte entries: 2-byte identifier, 4-byte value), or -1. */
    private static long setting(RawHttp2.Frame settings, int identifier) {
        ByteBuffer payload = ByteBuffer.wrap(settings.payload());
        while (payload.remaining() >= 6) {
            int id = Short.toUnsignedInt(payload.getShort());
            long value = Integer.toUnsignedLong(payload.getInt());
            if (id == identifier) {
                return value;
            }
        }
        return -1;
    }
}
