package dev.messenger.loadtest;

import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.LoginRequest;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.BearerToken;
import dev.messenger.client.MessengerChannels;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import jakarta.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many live feeds in one backend: opens K Subscribe streams (ten sessions per user, the server's
 * per-user cap), reports the server's heap and resident memory with all of them open, then sends
 * one message to every user and measures delivery to each of its streams, and counts streams the
 * server dropped while they stayed open over several heartbeats.
 */
@Command(name = "subscribers", mixinStandardHelpOptions = true,
        description = "K live Subscribe streams: memory with them open, delivery latency to each, dropped streams.")
final class SubscribersScenario implements Callable<Integer> {
    private static final int SESSIONS_PER_USER = 10;
    private static final Pattern USED_HEAP = Pattern.compile("(?m)^memory_usedHeap_bytes\\{[^}]*} ([0-9.E+]+)");

    @Option(names = "--target", description = "host:port of a running backend. Default: start one in this process "
            + "(embedded PostgreSQL + Kafka; with a cheap password hash, since this scenario signs in thousands of sessions).")
    String target;

    @Option(names = "--server-pid", description = "With --target: the server's process id, to read its resident memory from /proc.")
    Long serverPid;

    @Option(names = "--data-dir", description = "Embedded mode: where PostgreSQL and Kafka keep their data. Default: a new temporary directory.")
    Path dataDir;

    @Option(names = "--streams", defaultValue = "1000", description = "Live Subscribe streams to open (1-20000). Default: ${DEFAULT-VALUE}.")
    int streams;

    @Option(names = "--streams-per-connection", defaultValue = "500", description = "Streams sharing one HTTP/2 connection. Default: ${DEFAULT-VALUE}.")
    int perConnection;

    @Option(names = "--hold", defaultValue = "20", description = "Seconds to keep every stream open after the deliveries, counting drops. Default: ${DEFAULT-VALUE}.")
    int holdSeconds;

    @Option(names = "--out", defaultValue = "target/loadtest/subscribers.json", description = "Where the JSON results go. Default: ${DEFAULT-VALUE}.")
    Path out;

    private record Session(String userId, String token) {
    }

    @Override
    public Integer call() throws Exception {
        if (streams < 1 || streams > 20_000 || perConnection < 1 || holdSeconds < 0 || holdSeconds > 600) {
            System.err.println("Need 1 <= --streams <= 20000, --streams-per-connection >= 1, 0 <= --hold <= 600");
            return 2;
        }
        try (Backend backend = target == null
                ? Backend.embedded(dataDir,
                Map.of("users.password-hash.memory-kib", "1024", "users.password-hash.iterations", "1",
                        "users.login.max-failures", "1000000"))
                : Backend.external(target, null, "", "", null)) {
            Optional<Long> pid = target == null ? Optional.of(ProcessHandle.current().pid()) : Optional.ofNullable(serverPid);
            return run(backend, pid);
        }
    }

    private int run(Backend backend, Optional<Long> serverPid) throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        AtomicBoolean closing = new AtomicBoolean();
        try {
            ManagedChannel unary = MessengerChannels.plaintext(backend.target());
            channels.add(unary);
            List<Session> sessions = signIn(unary);

            LongAdder opened = new LongAdder();
            LongAdder dropped = new LongAdder();
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            LongAdder delivered = new LongAdder();
            Latency delivery = new Latency();
            long openStart = System.nanoTime();
            ManagedChannel feedChannel = null;
            for (int i = 0; i < sessions.size(); i++) {
                if (i % perConnection == 0) {
                    feedChannel = MessengerChannels.plaintext(backend.target());
                    channels.add(feedChannel);
                }
                subscribe(feedChannel, sessions.get(i), opened, dropped, sentAt, delivered, delivery, closing);
            }
            long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (opened.sum() < streams && System.nanoTime() < openDeadline) {
                Thread.sleep(200);
            }
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            System.out.printf("Streams open      %,d of %,d in %.1f s (%,d connections)%n", opened.sum(), streams, openSeconds,
                    channels.size() - 1);
            Thread.sleep(2000);
            double heapMiB = usedHeapBytes(backend) / (1024.0 * 1024.0);
            double rssMiB = serverPid.map(SubscribersScenario::residentBytes).orElse(-1L) / (1024.0 * 1024.0);
            System.out.printf("Server memory     heap used %.0f MiB, resident %s%n", heapMiB,
                    rssMiB < 0 ? "unknown (give --server-pid)" : String.format("%.0f MiB", rssMiB));

            // One message to every user, from the next user: each reaches all of the user's streams.
            Map<String, Session> firstSession = new java.util.LinkedHashMap<>();
            sessions.forEach(session -> firstSession.putIfAbsent(session.userId(), session));
            List<String> users = List.copyOf(firstSession.keySet());
            var messages = MessagesServiceGrpc.newBlockingStub(unary);
            for (int u = 0; users.size() > 1 && u < users.size(); u++) {
                Session sender = firstSession.get(users.get((u + 1) % users.size()));
                String clientId = UUID.randomUUID().toString();
                sentAt.put(clientId, System.nanoTime());
                messages.withCallCredentials(BearerToken.of(sender.token())).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .sendMessage(SendMessageRequest.newBuilder().setRecipientId(users.get(u))
                                .setText("to every stream of user " + u).setClientMessageId(clientId).build());
            }
            long expected = users.size() > 1 ? sessions.size() : 0;
            long deliverDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (delivered.sum() < expected && System.nanoTime() < deliverDeadline) {
                Thread.sleep(100);
            }
            System.out.printf("Delivered         %,d of %,d expected deliveries; latency %s%n", delivered.sum(), expected,
                    delivery.summary());
            System.out.printf("Holding every stream open for %d s...%n", holdSeconds);
            Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
            System.out.printf("Dropped streams   %,d%n", dropped.sum());

            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, Json.createObjectBuilder()
                    .add("scenario", "subscribers").add("target", backend.target())
                    .add("streams", streams).add("opened", opened.sum()).add("open_seconds", openSeconds)
                    .add("connections", channels.size() - 1)
                    .add("server_heap_used_mib", heapMiB).add("server_rss_mib", rssMiB)
                    .add("expected_deliveries", expected).add("delivered", delivered.sum())
                    .add("delivery_latency", delivery.json())
                    .add("hold_s", holdSeconds).add("dropped", dropped.sum())
                    .build().toString());
            System.out.println("Results written to " + out.toAbsolutePath());
            closing.set(true);
            return opened.sum() == streams && delivered.sum() == expected && dropped.sum() == 0 ? 0 : 1;
        } finally {
            closing.set(true);
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private List<Session> signIn(ManagedChannel channel) {
        var stub = UsersServiceGrpc.newBlockingStub(channel);
        String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        List<Session> sessions = new ArrayList<>();
        int userCount = (streams + SESSIONS_PER_USER - 1) / SESSIONS_PER_USER;
        for (int u = 0; u < userCount; u++) {
            String username = "sub" + run + "_" + u;
            String password = "load-test-password";
            String id = stub.register(RegisterRequest.newBuilder().setUsername(username).setPassword(password).build())
                    .getUser().getId();
            for (int s = 0; s < SESSIONS_PER_USER && sessions.size() < streams; s++) {
                String token = stub.login(LoginRequest.newBuilder().setUsername(username).setPassword(password).build()).getToken();
                sessions.add(new Session(id, token));
            }
            if ((u + 1) % 100 == 0) {
                System.out.printf("  signed in %,d sessions%n", sessions.size());
            }
        }
        return sessions;
    }

    private static void subscribe(ManagedChannel channel, Session session, LongAdder opened, LongAdder dropped,
                                  Map<String, Long> sentAt, LongAdder delivered, Latency delivery, AtomicBoolean closing) {
        NotificationsServiceGrpc.newStub(channel).withCallCredentials(BearerToken.of(session.token()))
                .subscribe(SubscribeRequest.getDefaultInstance(), new StreamObserver<>() {
                    private boolean first = true;

                    @Override
                    public void onNext(FeedEvent event) {
                        if (first) {
                            first = false;
                            opened.increment();
                        }
                        if (event.hasMessage() && event.getMessage().getMessage().getRecipientId().equals(session.userId())) {
                            Long started = sentAt.get(event.getMessage().getMessage().getClientMessageId());
                            if (started != null) {
                                delivery.record(System.nanoTime() - started);
                                delivered.increment();
                            }
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (!closing.get()) {
                            dropped.increment();
                        }
                    }

                    @Override
                    public void onCompleted() {
                        if (!closing.get()) {
                            dropped.increment();
                        }
                    }
                });
    }

    private static long usedHeapBytes(Backend backend) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + backend.target() + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher matcher = USED_HEAP.matcher(metrics.body());
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : -1;
    }

    private static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
