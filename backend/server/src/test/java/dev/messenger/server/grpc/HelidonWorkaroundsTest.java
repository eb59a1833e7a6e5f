package dev.messenger.server.grpc;

import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.GetUserRequest;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.api.v1.User;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.notifications.NotificationsModule;
import dev.messenger.platform.grpc.RequestHeadersProtocolProvider;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.grpc.GrpcRouting;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One test per Helidon 4.1.7 gRPC defect (DESIGN.md, "Known pitfalls"), each failing without its
 * workaround, so a Helidon upgrade can drop a workaround knowingly. A few "canary" tests run a bare
 * Helidon gRPC server to show the defect itself is still there.
 */
@ExtendWith(BackendExtension.class)
class HelidonWorkaroundsTest {
    /** The server's heartbeat interval in tests (TestBackend: notifications.heartbeat-interval = PT1S). */
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final int MAX_FEEDS_PER_USER = 10;

    private static TestBackend backend;
    private static ManagedChannel channel;

    @BeforeAll
    static void connect(TestBackend testBackend) {
        backend = testBackend;
        channel = backend.newChannel();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    // ------------------------------------------------ 1: error before any message → INTERNAL

    /** Fails without HeadersBeforeCloseInterceptor: each of these would arrive as INTERNAL "Missing HTTP status code". */
    @Test
    void defect1_anErrorBeforeAnyMessageArrivesWithItsRealStatus() throws InterruptedException {
        TestUser alice = TestUser.create(channel, "d1");

        // Closed by the handler (GrpcCalls.unary → onError) before any response message.
        StatusRuntimeException self = assertThrows(StatusRuntimeException.class, () -> alice.as(MessagesServiceGrpc.newBlockingStub(channel))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .sendMessage(SendMessageRequest.newBuilder().setRecipientId(alice.id().toString()).setText("me").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, self.getStatus().getCode(), self.getStatus().toString());
        assertEquals("You cannot send a message to yourself", self.getStatus().getDescription());

        // Closed by the AuthInterceptor before the handler even runs.
        StatusRuntimeException noToken = assertThrows(StatusRuntimeException.class, () -> UsersServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS).getUser(GetUserRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, noToken.getStatus().getCode(), noToken.getStatus().toString());
        assertTrue(noToken.getStatus().getDescription().contains("Bearer"), noToken.getStatus().toString());

        // A server stream that fails before its first message.
        ManagedChannel feedChannel = backend.newChannel();
        try {
            var feed = alice.as(NotificationsServiceGrpc.newBlockingStub(feedChannel)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .subscribe(SubscribeRequest.newBuilder().setAfterSeq(-1).build());
            StatusRuntimeException negative = assertThrows(StatusRuntimeException.class, feed::hasNext);
            assertEquals(Status.Code.INVALID_ARGUMENT, negative.getStatus().getCode(), negative.getStatus().toString());
            assertEquals("afterSeq must not be negative", negative.getStatus().getDescription());
        } finally {
            feedChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        // The standard health service is no exception: an unknown service name is NOT_FOUND, not INTERNAL.
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("no.such.Service").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode(), unknown.getStatus().toString());
    }

    // ------------------------------------------------ 6: Metadata values are the header names

    /** Fails without RequestHeadersProtocolProvider: the AuthInterceptor would read "authorization" as the token. */
    @Test
    void defect6_theBearerTokenInMetadataAuthenticates() {
        TestUser alice = TestUser.create(channel, "d6");
        TestUser bob = TestUser.create(channel, "d6");
        User me = alice.as(UsersServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .getUser(GetUserRequest.getDefaultInstance()).getUser();
        assertEquals(alice.id().toString(), me.getId(), "the token identified its own user");
        User other = bob.as(UsersServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .getUser(GetUserRequest.getDefaultInstance()).getUser();
        assertEquals(bob.id().toString(), other.getId(), "and not just any user");
    }

    /**
     * Canary for defects 6 and 1 on a bare Helidon gRPC server (no workaround interceptors): the
     * Metadata handed to interceptors carries each header's name as its value, while
     * RequestHeadersProtocolProvider still sees the real value; and an error before any message
     * arrives as INTERNAL. When this fails after a Helidon upgrade, the defect is fixed: drop the
     * matching workaround.
     */
    @Test
    void canary_bareHelidonServerStillHasDefects1And6() throws Exception {
        AtomicReference<String> metadataValue = new AtomicReference<>();
        AtomicReference<String> realHeader = new AtomicReference<>();
        ServerInterceptor capture = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                metadataValue.set(headers.get(Metadata.Key.of("x-probe", Metadata.ASCII_STRING_MARSHALLER)));
                realHeader.set(RequestHeadersProtocolProvider.requestHeader("x-probe").orElse(null));
                return next.startCall(call, headers);
            }
        };
        HealthStatusManager health = new HealthStatusManager();
        WebServer bare = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .addRouting(GrpcRouting.builder().service(ServerInterceptors.intercept(health.getHealthService(), capture)))
                .build()
                .start();
        ManagedChannel bareChannel = NettyChannelBuilder.forAddress("127.0.0.1", bare.port()).usePlaintext().build();
        try {
            Metadata probe = new Metadata();
            probe.put(Metadata.Key.of("x-probe", Metadata.ASCII_STRING_MARSHALLER), "probe-value-123");
            var stub = HealthGrpc.newBlockingStub(bareChannel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(probe));
            assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                    stub.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());

            assertEquals("probe-value-123", realHeader.get(), "RequestHeadersProtocolProvider exposes the real header");
            assertNotEquals("probe-value-123", metadataValue.get(),
                    "Helidon's Metadata now carries header values: defect 6 is fixed, RequestHeadersProtocolProvider can go");
            System.out.println("[defect 6] bare Helidon Metadata value of x-probe: " + metadataValue.get());

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService("no.such.Service").build()));
            assertEquals(Status.Code.INTERNAL, e.getStatus().getCode(),
                    "an early error arrives with its real status: defect 1 is fixed, HeadersBeforeCloseInterceptor can go ("
                            + e.getStatus() + ")");
            System.out.println("[defect 1] bare Helidon early error: " + e.getStatus());
        } finally {
            bareChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            bare.stop();
        }
    }

    // ------------------------------------------------ 3: GOAWAY REFUSED_STREAM after ~8,192 calls

    /**
     * Fails without MessengerChannels' retry policy: after ~8,192 calls on one connection Helidon
     * refuses further streams (GOAWAY REFUSED_STREAM) and in-flight calls fail UNAVAILABLE.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void defect3_tenThousandSequentialCallsOnOneChannelAllSucceed() throws InterruptedException {
        TestUser alice = TestUser.create(channel, "d3");
        AtomicInteger retriedAttempts = new AtomicInteger();
        Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();
        ClientStreamTracer.Factory tracing = new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                if (info.getPreviousAttempts() > 0 || info.isTransparentRetry()) {
                    retriedAttempts.incrementAndGet();
                }
                return new ClientStreamTracer() {
                    @Override
                    public void streamCreated(Attributes transportAttrs, Metadata streamHeaders) {
                        SocketAddress local = transportAttrs.get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
                        if (local != null) {
                            connections.add(local);
                        }
                    }
                };
            }
        };
        ClientInterceptor traced = new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return next.newCall(method, options.withStreamTracerFactory(tracing));
            }
        };

        ManagedChannel one = backend.newChannel();
        try {
            var users = alice.as(UsersServiceGrpc.newBlockingStub(one)).withInterceptors(traced);
            int calls = 10_000;
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                try {
                    User me = users.withDeadlineAfter(10, TimeUnit.SECONDS).getUser(GetUserRequest.getDefaultInstance()).getUser();
                    if (i % 1000 == 0) {
                        assertEquals(alice.id().toString(), me.getId());
                    }
                } catch (StatusRuntimeException e) {
                    fail("call " + (i + 1) + " of " + calls + " on one channel failed: " + e.getStatus(), e);
                }
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("[defect 3] %,d sequential GetUser calls on one channel: %,d ms (%.0f calls/s), "
                            + "%d connection(s) used, %d retried attempt(s)%n",
                    calls, elapsedMs, calls * 1000.0 / Math.max(1, elapsedMs), connections.size(), retriedAttempts.get());
        } finally {
            one.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------ 4: Nagle's algorithm on

    /**
     * Guards the {@code tcpNoDelay(true)} connection option, not speed in general: with Nagle's
     * algorithm on (Helidon's default) a sequential small call waits for the peer's delayed ACK,
     * ~40 ms, so the median of sequential calls sits near 40-44 ms. Anything well below that
     * (here: 15 ms, generous for a loaded CI box, still far from Nagle) shows the option holds.
     */
    @Test
    void defect4_sequentialCallsAreNotDelayedByNagle() throws InterruptedException {
        TestUser alice = TestUser.create(channel, "d4");
        ManagedChannel warm = backend.newChannel();
        try {
            var users = alice.as(UsersServiceGrpc.newBlockingStub(warm));
            for (int i = 0; i < 30; i++) {
                users.withDeadlineAfter(10, TimeUnit.SECONDS).getUser(GetUserRequest.getDefaultInstance());
            }
            long[] nanos = new long[50];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                users.withDeadlineAfter(10, TimeUnit.SECONDS).getUser(GetUserRequest.getDefaultInstance());
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            double medianMs = (nanos[24] + nanos[25]) / 2.0 / 1_000_000;
            double p90Ms = nanos[44] / 1_000_000.0;
            System.out.printf("[defect 4] 50 sequential GetUser calls: median %.2f ms, p90 %.2f ms, max %.2f ms%n",
                    medianMs, p90Ms, nanos[49] / 1_000_000.0);
            assertTrue(medianMs < 15, "median " + medianMs + " ms: is tcpNoDelay still set on the server's connections?");
        } finally {
            warm.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------ 5: reflection breaks; health serves

    /** The standard health service is what we serve instead of reflection (which Helidon cannot run). */
    @Test
    void defect5_theStandardHealthServiceAnswersServing() {
        HealthCheckResponse response = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, response.getStatus());
        // It needs no token: load balancers and probes call it anonymously.
        HealthCheckResponse again = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, again.getStatus());
    }

    // ------------------------------------------------ 7: every response gzipped

    /**
     * Fails without RequestHeadersProtocolProvider hiding {@code grpc-accept-encoding}: Helidon would
     * answer this grpc-java client (which advertises gzip on every call) with gzip-compressed messages.
     */
    @Test
    void defect7_responsesAreNotCompressedForAClientThatMerelyAcceptsGzip() {
        AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        var health = HealthGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers));

        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                health.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());

        String encoding = responseHeaders.get().get(Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER));
        assertTrue(encoding == null || encoding.equals("identity"), "response messages encoded with " + encoding);
    }

    // ------------------------------------------------ 2: no cancel signal

    /**
     * Fails without heartbeats: the server gets no signal when a client vanishes, only a failed
     * write. A feed whose channel is shut down (no cancel of its own) must leave the registry within
     * a few heartbeats; the per-user cap proves it was that user's feed that went.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void defect2_aFeedWhoseClientVanishedIsRemovedWithinAFewHeartbeats() throws Exception {
        TestUser user = TestUser.create(channel, "d2gone");
        ManagedChannel doomed = backend.newChannel();
        ManagedChannel survivors = backend.newChannel();
        ManagedChannel extra = backend.newChannel();
        try {
            // Fill the user's quota: one feed on the doomed channel, nine on another.
            FeedRecorder gone = subscribe(user, doomed);
            List<FeedRecorder> alive = new ArrayList<>();
            for (int i = 1; i < MAX_FEEDS_PER_USER; i++) {
                alive.add(subscribe(user.newSession(channel), survivors));
            }
            gone.awaitEvent(HEARTBEAT.multipliedBy(5));
            for (FeedRecorder feed : alive) {
                feed.awaitEvent(HEARTBEAT.multipliedBy(5));
            }
            TestUser eleventh = user.newSession(channel);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, subscribe(eleventh, extra).awaitEnd(Duration.ofSeconds(5)).getCode(),
                    "the quota is full before the client vanishes");

            int before = openFeeds();
            long start = System.nanoTime();
            doomed.shutdownNow(); // the connection goes away; the client never cancels the stream itself
            assertTrue(doomed.awaitTermination(5, TimeUnit.SECONDS));

            long removedAfterMs = awaitCondition(() -> openFeeds() < before ? 1 : 0, HEARTBEAT.multipliedBy(5));
            System.out.printf("[defect 2] dead feed left the registry %d ms after its channel was shut down (heartbeat %d ms)%n",
                    removedAfterMs, HEARTBEAT.toMillis());

            // The user's count went down too: an 11th session may subscribe now.
            FeedRecorder admitted = null;
            long deadline = System.nanoTime() + HEARTBEAT.multipliedBy(5).toNanos();
            while (admitted == null && System.nanoTime() < deadline) {
                FeedRecorder attempt = subscribe(eleventh, extra);
                if (attempt.awaitEventOrEnd(Duration.ofSeconds(3))) {
                    admitted = attempt;
                } else {
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, attempt.end.getNow(Status.OK).getCode());
                    Thread.sleep(100);
                }
            }
            assertNotNull(admitted, "the user's dead feed still counts against the cap after 5 heartbeats");
            System.out.printf("[defect 2] an 11th session's feed was admitted (and sent its first heartbeat) %d ms after the channel was shut down%n",
                    (System.nanoTime() - start) / 1_000_000);

            // The other connection's feeds were not affected.
            for (FeedRecorder feed : alive) {
                feed.events.clear();
                feed.awaitEvent(HEARTBEAT.multipliedBy(5));
                assertTrue(!feed.end.isDone(), "a live feed ended: " + feed.end.getNow(null));
            }
        } finally {
            shutdown(doomed, survivors, extra);
        }
    }

    /** A new Subscribe from a session ends its older feed: the session keeps one feed, not one per attempt. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void defect2_aSecondSubscribeFromTheSameSessionEndsTheFirst() throws Exception {
        TestUser session = TestUser.create(channel, "d2again");
        ManagedChannel first = backend.newChannel();
        ManagedChannel second = backend.newChannel();
        try {
            FeedRecorder older = subscribe(session, first);
            older.awaitEvent(HEARTBEAT.multipliedBy(5));
            int before = openFeeds();

            FeedRecorder newer = subscribe(session, second);
            Status ended = older.awaitEnd(HEARTBEAT.multipliedBy(5));
            assertEquals(Status.Code.CANCELLED, ended.getCode(), ended.toString());
            assertTrue(ended.getDescription() != null && ended.getDescription().contains("Replaced"), ended.toString());
            newer.awaitEvent(HEARTBEAT.multipliedBy(5));
            assertTrue(!newer.end.isDone(), "the newer feed lives on");
            int after = openFeeds();
            assertTrue(after <= before, "still one feed for the session: " + before + " before, " + after + " after");

            // Resubscribing more often than the per-user cap never hits it: the session's count stays 1.
            FeedRecorder latest = newer;
            for (int i = 0; i < MAX_FEEDS_PER_USER + 2; i++) {
                FeedRecorder next = subscribe(session, i % 2 == 0 ? first : second);
                Status replaced = latest.awaitEnd(HEARTBEAT.multipliedBy(5));
                assertEquals(Status.Code.CANCELLED, replaced.getCode(), "resubscribe " + (i + 1) + ": " + replaced);
                latest = next;
            }
            latest.awaitEvent(HEARTBEAT.multipliedBy(5));
            assertTrue(!latest.end.isDone(), "the newest feed lives: " + latest.end.getNow(null));
        } finally {
            shutdown(first, second);
        }
    }

    /** The per-user cap: forgotten streams cannot pile up. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void defect2_moreThanTenFeedsForOneUserAreRefused() throws Exception {
        TestUser user = TestUser.create(channel, "d2cap");
        TestUser other = TestUser.create(channel, "d2cap");
        ManagedChannel feeds = backend.newChannel();
        try {
            List<TestUser> sessions = new ArrayList<>();
            List<FeedRecorder> open = new ArrayList<>();
            for (int i = 0; i < MAX_FEEDS_PER_USER; i++) {
                TestUser session = i == 0 ? user : user.newSession(channel);
                sessions.add(session);
                open.add(subscribe(session, feeds));
            }
            for (FeedRecorder feed : open) {
                feed.awaitEvent(HEARTBEAT.multipliedBy(5));
            }

            Status refused = subscribe(user.newSession(channel), feeds).awaitEnd(Duration.ofSeconds(5));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode(), refused.toString());
            assertTrue(refused.getDescription().contains("Too many open feeds"), refused.toString());

            // Another user is not affected, and a capped user's existing session may still resubscribe.
            subscribe(other, feeds).awaitEvent(HEARTBEAT.multipliedBy(5));
            FeedRecorder again = subscribe(sessions.get(3), feeds);
            assertEquals(Status.Code.CANCELLED, open.get(3).awaitEnd(HEARTBEAT.multipliedBy(5)).getCode());
            again.awaitEvent(HEARTBEAT.multipliedBy(5));
            assertTrue(!again.end.isDone());
        } finally {
            shutdown(feeds);
        }
    }

    // ------------------------------------------------ helpers

    private static int openFeeds() {
        return backend.server().services().stream()
                .filter(NotificationsModule.class::isInstance)
                .map(NotificationsModule.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no notifications service in this server"))
                .openFeeds();
    }

    /** Waits until the condition returns non-zero; returns the ms it took. */
    private static long awaitCondition(IntSupplier condition, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (condition.getAsInt() == 0) {
            if (System.nanoTime() > deadline) {
                fail("condition not met within " + timeout.toMillis() + " ms");
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static FeedRecorder subscribe(TestUser user, ManagedChannel on) {
        FeedRecorder recorder = new FeedRecorder();
        user.as(NotificationsServiceGrpc.newStub(on)).subscribe(SubscribeRequest.getDefaultInstance(), recorder);
        return recorder;
    }

    private static void shutdown(ManagedChannel... channels) throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        for (ManagedChannel c : channels) {
            c.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Records a feed's events and how it ended. */
    private static final class FeedRecorder implements StreamObserver<FeedEvent> {
        final LinkedBlockingQueue<FeedEvent> events = new LinkedBlockingQueue<>();
        final CompletableFuture<Status> end = new CompletableFuture<>();

        @Override
        public void onNext(FeedEvent event) {
            events.add(event);
        }

        @Override
        public void onError(Throwable t) {
            end.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            end.complete(Status.OK);
        }

        FeedEvent awaitEvent(Duration timeout) throws InterruptedException {
            FeedEvent event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                fail("no feed event within " + timeout.toMillis() + " ms; stream ended: " + end.getNow(null));
            }
            return event;
        }

        Status awaitEnd(Duration timeout) throws Exception {
            try {
                return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return fail("the stream did not end within " + timeout.toMillis() + " ms");
            }
        }

        /** True when an event arrived first, false when the stream ended first. */
        boolean awaitEventOrEnd(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!events.isEmpty()) {
                    return true;
                }
                if (end.isDone()) {
                    return false;
                }
                Thread.sleep(10);
            }
            return fail("neither an event nor the end within " + timeout.toMillis() + " ms");
        }
    }
}
