package dev.messenger.server;

import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.RawHttp2;
import dev.messenger.server.testing.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
