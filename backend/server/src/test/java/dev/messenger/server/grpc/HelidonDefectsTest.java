package dev.messenger.server.grpc;

import dev.messenger.api.v1.GetUserRequest;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.api.v1.User;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.notifications.NotificationsModule;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.FeedRecorder;
import dev.messenger.server.testing.RawBytes;
import dev.messenger.server.testing.RawHttp2;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.ForwardingServerCallListener;
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
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The state of each Helidon gRPC server defect in ARCHITECTURE.md's table, numbered as there.
 * A defect fixed in Helidon 4.5.0 is asserted fixed on a <em>bare</em> Helidon server (no
 * interceptors, no settings of ours), so a regression in a later Helidon shows here; a defect
 * still present is asserted worked around on the real product.
 */
@ExtendWith(BackendExtension.class)
class HelidonDefectsTest {
    /** The server's heartbeat interval in tests (TestBackend: notifications.heartbeat-interval = PT1S). */
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final int MAX_FEEDS_PER_USER = 10;
    private static final Metadata.Key<String> PROBE = Metadata.Key.of("x-probe", Metadata.ASCII_STRING_MARSHALLER);

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

    // ------------------------------------------------ 1: error before any message (fixed in 4.5.0)

    @Test
    void defect1_fixed_aBareServersEarlyErrorArrivesWithItsRealStatus() throws Exception {
        try (BareServer bare = BareServer.start()) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> HealthGrpc.newBlockingStub(bare.channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService("no.such.Service").build()));
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getStatus().toString());
        }
    }

    /** The product's own early errors: from a handler, from the auth interceptor, from a stream. */
    @Test
    void defect1_fixed_productErrorsBeforeAnyMessageArriveWithTheirRealStatus() throws InterruptedException {
        TestUser alice = TestUser.create(channel, "d1");

        StatusRuntimeException self = assertThrows(StatusRuntimeException.class, () -> alice.as(MessagesServiceGrpc.newBlockingStub(channel))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .sendMessage(SendMessageRequest.newBuilder().setRecipientId(alice.id().toString()).setText("me").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, self.getStatus().getCode(), self.getStatus().toString());
        assertEquals("You cannot send a message to yourself", self.getStatus().getDescription());

        StatusRuntimeException noToken = assertThrows(StatusRuntimeException.class, () -> UsersServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS).getUser(GetUserRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, noToken.getStatus().getCode(), noToken.getStatus().toString());
        assertTrue(noToken.getStatus().getDescription().contains("Bearer"), noToken.getStatus().toString());

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
    }

    // ------------------------------------------------ 2: no cancel signal (fixed in 4.5.0)

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void defect2_fixed_aBareServerHearsAClientCancelWithinASecond() throws Exception {
        try (BareServer bare = BareServer.start()) {
            CompletableFuture<HealthCheckResponse> first = new CompletableFuture<>();
            AtomicReference<ClientCallStreamObserver<HealthCheckRequest>> call = new AtomicReference<>();
            HealthGrpc.newStub(bare.channel).watch(HealthCheckRequest.getDefaultInstance(),
                    new ClientResponseObserver<HealthCheckRequest, HealthCheckResponse>() {
                        @Override
                        public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> requestStream) {
                            call.set(requestStream);
                        }

                        @Override
                        public void onNext(HealthCheckResponse value) {
                            first.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            first.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, first.get(10, TimeUnit.SECONDS).getStatus());

            long start = System.nanoTime();
            call.get().cancel("the client is done", null);
            assertTrue(bare.cancelled.await(1, TimeUnit.SECONDS), "the server was not told of the cancel within 1 s");
            System.out.printf("[defect 2] bare server heard the cancel after %.1f ms%n", (System.nanoTime() - start) / 1e6);

            // The connection lives on.
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(bare.channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());
        }
    }

    /** The product frees a cancelled feed at once, while the client's connection stays open. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void defect2_fixed_aCancelledSubscribeFreesItsFeedWithinASecond() throws Exception {
        TestUser user = TestUser.create(channel, "d2cancel");
        ManagedChannel feeds = backend.newChannel();
        try {
            FeedRecorder feed = FeedRecorder.subscribe(user, feeds);
            feed.awaitEvent(HEARTBEAT.multipliedBy(5));
            assertEquals(1, openFeeds(user));

            long start = System.nanoTime();
            feed.cancel();
            awaitCondition(() -> openFeeds(user) == 0, Duration.ofSeconds(1), "the cancelled feed is still open after 1 s");
            System.out.printf("[defect 2] cancelled feed left the registry after %.1f ms%n", (System.nanoTime() - start) / 1e6);

            // The same connection serves the next feed at once.
            FeedRecorder.subscribe(user, feeds).awaitEvent(HEARTBEAT.multipliedBy(5));
        } finally {
            shutdown(feeds);
        }
    }

    /** A client that vanishes with its connection (killed, network gone) frees its feed too. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFeedWhoseConnectionDiedIsRemovedAndNoLongerCountsAgainstTheCap() throws Exception {
        TestUser user = TestUser.create(channel, "gone");
        ManagedChannel doomed = backend.newChannel();
        ManagedChannel survivors = backend.newChannel();
        ManagedChannel extra = backend.newChannel();
        try {
            FeedRecorder gone = FeedRecorder.subscribe(user, doomed);
            List<FeedRecorder> alive = new ArrayList<>();
            for (int i = 1; i < MAX_FEEDS_PER_USER; i++) {
                alive.add(FeedRecorder.subscribe(user.newSession(channel), survivors));
            }
            gone.awaitEvent(HEARTBEAT.multipliedBy(5));
            for (FeedRecorder feed : alive) {
                feed.awaitEvent(HEARTBEAT.multipliedBy(5));
            }
            TestUser eleventh = user.newSession(channel);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, FeedRecorder.subscribe(eleventh, extra).awaitEnd(Duration.ofSeconds(5)).getCode(),
                    "the cap is reached before the client vanishes");

            long start = System.nanoTime();
            doomed.shutdownNow();
            assertTrue(doomed.awaitTermination(5, TimeUnit.SECONDS));
            // The user's count goes down when the dead feed is gone: an 11th session gets in.
            FeedRecorder admitted = null;
            long deadline = System.nanoTime() + HEARTBEAT.multipliedBy(3).toNanos();
            while (admitted == null && System.nanoTime() < deadline) {
                FeedRecorder attempt = FeedRecorder.subscribe(eleventh, extra);
                if (attempt.awaitEventOrEnd(Duration.ofSeconds(3))) {
                    admitted = attempt;
                } else {
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, attempt.end.getNow(Status.OK).getCode());
                    Thread.sleep(20);
                }
            }
            assertNotNull(admitted, "the dead connection's feed still counts against the cap after 3 heartbeats");
            System.out.printf("[feeds] a dead connection's feed was replaced after %.1f ms%n", (System.nanoTime() - start) / 1e6);
            for (FeedRecorder feed : alive) {
                assertFalse(feed.end.isDone(), "a feed on another connection ended: " + feed.end.getNow(null));
            }
        } finally {
            shutdown(doomed, survivors, extra);
        }
    }

    /** A new Subscribe from a session ends its older feed: a session keeps one feed, however often it resubscribes. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSecondSubscribeFromTheSameSessionEndsTheFirst() throws Exception {
        TestUser session = TestUser.create(channel, "again");
        ManagedChannel first = backend.newChannel();
        ManagedChannel second = backend.newChannel();
        try {
            FeedRecorder older = FeedRecorder.subscribe(session, first);
            older.awaitEvent(HEARTBEAT.multipliedBy(5));

            FeedRecorder newer = FeedRecorder.subscribe(session, second);
            Status ended = older.awaitEnd(HEARTBEAT.multipliedBy(5));
            assertEquals(Status.Code.CANCELLED, ended.getCode(), ended.toString());
            assertTrue(ended.getDescription() != null && ended.getDescription().contains("Replaced"), ended.toString());
            newer.awaitEvent(HEARTBEAT.multipliedBy(5));
            assertFalse(newer.end.isDone(), "the newer feed lives on");
            assertEquals(1, openFeeds(session), "still one feed for the session");

            FeedRecorder latest = newer;
            for (int i = 0; i < MAX_FEEDS_PER_USER + 2; i++) {
                FeedRecorder next = FeedRecorder.subscribe(session, i % 2 == 0 ? first : second);
                Status replaced = latest.awaitEnd(HEARTBEAT.multipliedBy(5));
                assertEquals(Status.Code.CANCELLED, replaced.getCode(), "resubscribe " + (i + 1) + ": " + replaced);
                latest = next;
            }
            latest.awaitEvent(HEARTBEAT.multipliedBy(5));
            assertFalse(latest.end.isDone(), "the newest feed lives: " + latest.end.getNow(null));
        } finally {
            shutdown(first, second);
        }
    }

    /** The per-user cap on feeds. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void moreThanTenFeedsForOneUserAreRefused() throws Exception {
        TestUser user = TestUser.create(channel, "cap");
        TestUser other = TestUser.create(channel, "cap");
        ManagedChannel feeds = backend.newChannel();
        try {
            List<TestUser> sessions = new ArrayList<>();
            List<FeedRecorder> open = new ArrayList<>();
            for (int i = 0; i < MAX_FEEDS_PER_USER; i++) {
                TestUser session = i == 0 ? user : user.newSession(channel);
                sessions.add(session);
                open.add(FeedRecorder.subscribe(session, feeds));
            }
            for (FeedRecorder feed : open) {
                feed.awaitEvent(HEARTBEAT.multipliedBy(5));
            }

            Status refused = FeedRecorder.subscribe(user.newSession(channel), feeds).awaitEnd(Duration.ofSeconds(5));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode(), refused.toString());
            assertTrue(refused.getDescription().contains("Too many open feeds"), refused.toString());

            FeedRecorder.subscribe(other, feeds).awaitEvent(HEARTBEAT.multipliedBy(5));
            FeedRecorder again = FeedRecorder.subscribe(sessions.get(3), feeds);
            assertEquals(Status.Code.CANCELLED, open.get(3).awaitEnd(HEARTBEAT.multipliedBy(5)).getCode());
            again.awaitEvent(HEARTBEAT.multipliedBy(5));
            assertFalse(again.end.isDone());
        } finally {
            shutdown(feeds);
        }
    }

    // ------------------------------------------------ 3: GOAWAY REFUSED_STREAM after ~8,192 calls (fixed in 4.5.0)

    /** Without retries: with 4.1.7 call ~8,193 failed UNAVAILABLE. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void defect3_fixed_aBareServerServesTenThousandCallsOnOneConnection() throws Exception {
        Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();
        AtomicInteger retried = new AtomicInteger();
        ClientStreamTracer.Factory tracing = new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                if (info.getPreviousAttempts() > 0 || info.isTransparentRetry()) {
                    retried.incrementAndGet();
                }
                return new ClientStreamTracer() {
                    @Override
                    public void streamCreated(Attributes transportAttrs, Metadata streamHeaders) {
                        connections.add(transportAttrs.get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
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
        try (BareServer bare = BareServer.start()) {
            var health = HealthGrpc.newBlockingStub(bare.channel).withInterceptors(traced);
            int calls = 10_000;
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                try {
                    health.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
                } catch (StatusRuntimeException e) {
                    fail("call " + (i + 1) + " of " + calls + " on one connection failed: " + e.getStatus(), e);
                }
            }
            System.out.printf("[defect 3] %,d sequential calls on one connection in %,d ms%n", calls, (System.nanoTime() - start) / 1_000_000);
            assertEquals(1, connections.size(), "all calls on one connection");
            assertEquals(0, retried.get(), "no call needed a retry");
        }
    }

    // ------------------------------------------------ 4: Nagle's algorithm on (still present)

    /**
     * Guards the {@code tcpNoDelay(true)} connection option: with Nagle's algorithm on (Helidon's
     * default) a sequential small call waits for the peer's delayed ACK, so the median of
     * sequential calls sits near 40-44 ms. Anything well below that (15 ms, generous for a loaded
     * CI box) shows the option holds.
     */
    @Test
    void defect4_present_sequentialCallsAreNotDelayedByNagle() throws InterruptedException {
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
            System.out.printf("[defect 4] 50 sequential GetUser calls: median %.2f ms, p90 %.2f ms%n", medianMs, nanos[44] / 1e6);
            assertTrue(medianMs < 15, "median " + medianMs + " ms: is tcpNoDelay still set on the server's connections?");
        } finally {
            warm.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------ 5: no server reflection (fixed in 4.5.0; on by default)

    /** What {@code grpcurl -plaintext localhost:8080 list} shows, without the proto files. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void defect5_fixed_reflectionListsOurServices() throws Exception {
        CompletableFuture<List<String>> services = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        services.complete(response.getListServicesResponse().getServiceList().stream()
                                .map(ServiceResponse::getName).sorted().toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        services.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        services.completeExceptionally(new AssertionError("no answer before the end"));
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        requests.onCompleted();
        List<String> names = services.get(10, TimeUnit.SECONDS);
        assertTrue(names.containsAll(List.of("messenger.v1.UsersService", "messenger.v1.MessagesService",
                "messenger.v1.NotificationsService", "grpc.health.v1.Health")), names.toString());
    }

    // ------------------------------------------------ 6: Metadata values were header names (fixed in 4.5.0)

    @Test
    void defect6_fixed_aBareServersInterceptorsReadHeaderValues() throws Exception {
        try (BareServer bare = BareServer.start()) {
            Metadata probe = new Metadata();
            probe.put(PROBE, "probe-value-123");
            HealthGrpc.newBlockingStub(bare.channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(probe))
                    .withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
            assertEquals("probe-value-123", bare.probeHeader.get());
        }
    }

    // ------------------------------------------------ 7: responses gzipped for clients that merely accept gzip (still present)

    /**
     * Fails without GrpcFrontDoorProtocolProvider hiding {@code grpc-accept-encoding}: Helidon would
     * gzip the responses to this grpc-java client, which advertises gzip on every call.
     */
    @Test
    void defect7_present_responsesAreNotCompressedForAClientThatMerelyAcceptsGzip() {
        AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        var health = HealthGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers));
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                health.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());
        String encoding = responseHeaders.get().get(Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER));
        assertTrue(encoding == null || encoding.equals("identity"), "response messages encoded with " + encoding);
    }

    /** Helidon's own switch (enable-compression: false) would make this hang; ours keeps it working. */
    @Test
    void defect7_present_gzipCompressedRequestsAreStillUnderstood() {
        TestUser alice = TestUser.create(channel, "d7");
        User me = alice.as(UsersServiceGrpc.newBlockingStub(channel)).withCompression("gzip")
                .withDeadlineAfter(10, TimeUnit.SECONDS).getUser(GetUserRequest.getDefaultInstance()).getUser();
        assertEquals(alice.id().toString(), me.getId());
    }

    // ------------------------------------------------ 8: an oversized request message gets no status (still present)

    /** Requests up to the product's message limit (64 KiB, grpc.max-read-buffer-size) are read and answered as usual. */
    @Test
    void defect8_aRequestJustUnderTheLimitIsReadAsUsual() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> UsersServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .register(RegisterRequest.newBuilder().setUsername("big").setPassword("x".repeat(60 * 1024)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("assword"), e.getStatus().toString());
    }

    /** A real message over the limit, from an ordinary client. Without GrpcStreamGuard: no answer until the deadline. */
    @Test
    void defect8_present_aRequestOverTheLimitIsRefusedAtOnce() {
        long start = System.nanoTime();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> UsersServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(2, TimeUnit.SECONDS)
                .register(RegisterRequest.newBuilder().setUsername("huge").setPassword("x".repeat(100 * 1024)).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("65536"), e.getStatus().toString());
        System.out.printf("[defect 8] 100 KiB request refused after %.1f ms%n", (System.nanoTime() - start) / 1e6);
        // The channel's connection is fine.
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
    }

    /** Five bytes declaring 2 GB: answered from the prefix alone, nothing of that size allocated, the connection usable after. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void defect8_present_aDeclaredLengthFarBeyondTheBodyIsRefusedFromThePrefix() {
        Runtime runtime = Runtime.getRuntime();
        long usedBefore = runtime.totalMemory() - runtime.freeMemory();
        try (RawHttp2 raw = RawHttp2.connect("127.0.0.1", backend.port())) {
            int stream = raw.newStreamId();
            raw.grpcHeaders(stream, "/messenger.v1.UsersService/Login", Map.of(), false);
            raw.data(stream, new byte[] {0, 0x77, 0x35, (byte) 0x94, 0x00}, false); // 2,000,000,000
            raw.flush();
            Optional<RawHttp2.Frame> answer = raw.awaitFrame(RawHttp2.endOf(stream), Duration.ofSeconds(2));
            assertEnded(answer, "the refusal");
            assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), answer.get().grpcStatus(), answer.get().headers().toString());

            // More data on the refused stream is dropped; the connection serves the next call.
            raw.data(stream, new byte[16_384], true);
            int next = raw.newStreamId();
            raw.grpcHeaders(next, "/grpc.health.v1.Health/Check", Map.of(), false);
            raw.data(next, RawHttp2.grpcMessage(new byte[0]), true);
            raw.flush();
            Optional<RawHttp2.Frame> health = raw.awaitFrame(RawHttp2.endOf(next), Duration.ofSeconds(5));
            assertEnded(health, "the next call's answer");
            assertEquals(Status.Code.OK.value(), health.get().grpcStatus(), health.get().headers().toString());
        }
        long grownMiB = (runtime.totalMemory() - runtime.freeMemory() - usedBefore) / (1024 * 1024);
        assertTrue(grownMiB < 512, "heap grew by " + grownMiB + " MiB");
    }

    // ------------------------------------------------ 9: an unreadable request message is never answered (still present)

    /** Random bytes in a correctly framed message. Without UnreadableRequestInterceptor: no answer until the deadline. */
    @Test
    void defect9_present_randomBytesAsARequestAreInvalidArgument() {
        byte[] garbage = new byte[200];
        new java.util.Random(9).nextBytes(garbage);
        garbage[0] = (byte) 0xff; // field 31, wire type 7: no such wire type
        assertUnreadable("messenger.v1.UsersService/Login", garbage);
        assertUnreadable("messenger.v1.UsersService/Register", garbage);
    }

    /** A string field that is not UTF-8 (field 1, length 2, bytes C3 28): protobuf refuses to parse it. */
    @Test
    void defect9_present_aStringThatIsNotUtf8IsInvalidArgument() {
        assertUnreadable("messenger.v1.UsersService/Login", new byte[] {0x0a, 0x02, (byte) 0xc3, 0x28});
    }

    /** ... and Helidon does not log each of them as SEVERE with a stack trace (UnreadableRequestLogFilter). */
    private static void assertUnreadable(String method, byte[] request) {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger helidonGrpc = Logger.getLogger("io.helidon.webserver.grpc.GrpcProtocolHandler");
        helidonGrpc.addHandler(capture);
        try {
            assertAnsweredInvalid(method, request);
        } finally {
            helidonGrpc.removeHandler(capture);
        }
        assertEquals(List.of(), logged.stream().map(LogRecord::getMessage).toList(), "Helidon's records of the unreadable request");
    }

    private static void assertAnsweredInvalid(String method, byte[] request) {
        MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(method)
                .setRequestMarshaller(RawBytes.MARSHALLER)
                .setResponseMarshaller(RawBytes.MARSHALLER)
                .build();
        long start = System.nanoTime();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                channel, raw, CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS), request));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), method + ": " + e.getStatus());
        System.out.printf("[defect 9] unreadable %s answered after %.1f ms%n", method, (System.nanoTime() - start) / 1e6);
    }


    // ------------------------------------------------ 10: client cancels count as rapid resets (new in 4.5.0)

    /**
     * Helidon 4.5.0 counts every client reset of a gRPC stream as a rapid reset (its gRPC handler
     * never marks the stream as answered), and by default the 51st within 10 s on one connection
     * gets GOAWAY, failing every call on it. A desktop that resubscribes or a load test that
     * cancels feeds must not trip it: 500 Subscribe/cancel cycles on one connection while unary
     * calls run on the same connection.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void defect10_fiveHundredSubscribeCancelCyclesDoNotFailOtherCallsOnTheConnection() throws Exception {
        TestUser user = TestUser.create(channel, "d10");
        ManagedChannel shared = NettyChannelBuilder.forTarget(backend.target()).usePlaintext().disableRetry().build();
        AtomicBoolean cycling = new AtomicBoolean(true);
        AtomicInteger unaryCalls = new AtomicInteger();
        AtomicReference<Throwable> unaryFailure = new AtomicReference<>();
        Thread unary = Thread.ofVirtual().start(() -> {
            var users = user.as(UsersServiceGrpc.newBlockingStub(shared));
            while (cycling.get() && unaryFailure.get() == null) {
                try {
                    users.withDeadlineAfter(10, TimeUnit.SECONDS).getUser(GetUserRequest.getDefaultInstance());
                    unaryCalls.incrementAndGet();
                } catch (StatusRuntimeException e) {
                    unaryFailure.set(e);
                }
            }
        });
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                FeedRecorder feed = FeedRecorder.subscribe(user, shared);
                feed.awaitEvent(HEARTBEAT.multipliedBy(5));
                feed.cancel();
                if (unaryFailure.get() != null) {
                    fail("a unary call on the connection failed during cycle " + (i + 1), unaryFailure.get());
                }
            }
            cycling.set(false);
            unary.join(10_000);
            System.out.printf("[defect 10] 500 Subscribe/cancel cycles in %,d ms beside %,d unary calls on one connection%n",
                    (System.nanoTime() - start) / 1_000_000, unaryCalls.get());
            assertNull(unaryFailure.get(), "a unary call on the connection failed");
            assertTrue(unaryCalls.get() > 0, "unary calls ran beside the cycles");
            awaitCondition(() -> openFeeds(user) == 0, Duration.ofSeconds(1), "cancelled feeds are still registered");
        } finally {
            cycling.set(false);
            shutdown(shared);
        }
    }

    /** ... while a real rapid-reset flood (CVE-2023-44487) still gets the connection closed. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void defect10_aRapidResetFloodIsCutOffWithGoAway() {
        try (RawHttp2 raw = RawHttp2.connect("127.0.0.1", backend.port())) {
            int sent = 0;
            Optional<RawHttp2.Frame> goAway = Optional.empty();
            while (sent < 5_000 && goAway.isEmpty()) {
                for (int i = 0; i < 50; i++, sent++) {
                    int stream = raw.newStreamId();
                    raw.grpcHeaders(stream, "/messenger.v1.UsersService/GetUser", Map.of(), false);
                    raw.rstStream(stream, RawHttp2.ERROR_CANCEL);
                }
                raw.flush();
                goAway = raw.awaitFrame(frame -> false, Duration.ofMillis(20));
            }
            if (goAway.isEmpty()) {
                goAway = raw.awaitFrame(frame -> false, Duration.ofSeconds(5));
            }
            assertTrue(goAway.isPresent(), "no GOAWAY after " + sent + " rapid resets");
            assertEquals(RawHttp2.ERROR_ENHANCE_YOUR_CALM, goAway.get().errorCode(), goAway.get().debugData());
            System.out.printf("[defect 10] GOAWAY ENHANCE_YOUR_CALM after at most %,d reset streams%n", sent);
        }
        // The server itself is fine.
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
    }

    // ------------------------------------------------ 11: a late request to a rejected call kills the connection (new in 4.5.0)

    /**
     * A call rejected before its request arrived (here: no token) must not make the client's
     * request, sent afterwards as HTTP/2 allows, a connection error. Both forms Helidon got wrong:
     * the DATA for the last stream opened, and for an older stream once a newer one is open. Fails
     * without GrpcFrontDoorProtocolProvider's AwaitClientEnd: GOAWAY PROTOCOL_ERROR.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void defect11_present_aRequestArrivingAfterItsCallWasRejectedLeavesTheConnectionAlive() {
        byte[] emptyRequest = RawHttp2.grpcMessage(new byte[0]);
        try (RawHttp2 raw = RawHttp2.connect("127.0.0.1", backend.port())) {
            int first = raw.newStreamId();
            raw.grpcHeaders(first, "/messenger.v1.UsersService/GetUser", Map.of(), false);
            raw.flush();
            assertEnded(raw.awaitFrame(RawHttp2.endOf(first), Duration.ofSeconds(10)), "the rejection of the first call");
            raw.data(first, emptyRequest, true);

            int second = raw.newStreamId();
            raw.grpcHeaders(second, "/messenger.v1.UsersService/GetUser", Map.of(), false);
            raw.flush();
            assertEnded(raw.awaitFrame(RawHttp2.endOf(second), Duration.ofSeconds(10)), "the rejection of the second call");
            int third = raw.newStreamId();
            raw.grpcHeaders(third, "/grpc.health.v1.Health/Check", Map.of(), false);
            raw.data(second, emptyRequest, true);
            raw.data(third, emptyRequest, true);
            raw.flush();
            assertEnded(raw.awaitFrame(RawHttp2.endOf(third), Duration.ofSeconds(10)), "the answer to the call opened after them");
        }
    }

    private static void assertEnded(Optional<RawHttp2.Frame> frame, String what) {
        assertTrue(frame.isPresent(), "no frame: " + what);
        assertTrue(frame.get().type() != RawHttp2.GOAWAY,
                "GOAWAY " + frame.get().errorCode() + " " + frame.get().debugData() + " instead of " + what);
    }

    // ------------------------------------------------ helpers

    /**
     * A Helidon WebServer with nothing of ours but the standard health service, and an interceptor
     * that records what the server saw. Our GrpcFrontDoorProtocolProvider is on the class path and so
     * in front of it too; it only hides grpc-accept-encoding.
     */
    private static final class BareServer implements AutoCloseable {
        final WebServer server;
        final ManagedChannel channel;
        final AtomicReference<String> probeHeader = new AtomicReference<>();
        final CountDownLatch cancelled = new CountDownLatch(1);

        private BareServer() {
            ServerInterceptor recording = new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                    probeHeader.set(headers.get(PROBE));
                    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
                        @Override
                        public void onCancel() {
                            cancelled.countDown();
                            super.onCancel();
                        }
                    };
                }
            };
            server = WebServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    // Defect 4 would make defect 3's 10,000 sequential calls take 40 ms each.
                    .connectionOptions(options -> options.tcpNoDelay(true))
                    .addRouting(GrpcRouting.builder().service(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), recording)))
                    .build()
                    .start();
            channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().disableRetry().build();
        }

        static BareServer start() {
            return new BareServer();
        }

        @Override
        public void close() {
            channel.shutdownNow();
            server.stop();
        }
    }

    private static int openFeeds(TestUser user) {
        return backend.server().services().stream()
                .filter(NotificationsModule.class::isInstance)
                .map(NotificationsModule.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no notifications service in this server"))
                .openFeeds(user.id());
    }

    private static void awaitCondition(BooleanSupplier condition, Duration timeout, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(failure + " (waited " + timeout.toMillis() + " ms)");
            }
            Thread.sleep(10);
        }
    }

    private static void shutdown(ManagedChannel... channels) throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        for (ManagedChannel c : channels) {
            c.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
