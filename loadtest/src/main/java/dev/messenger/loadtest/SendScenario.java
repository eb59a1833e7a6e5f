package dev.messenger.loadtest;

import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.client.BearerToken;
import dev.messenger.client.MessengerChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Sustained sending: users each subscribed to their feed, senders sending between them. Measures
 * accepted messages/s, send-call latency and end-to-end latency (send start to the recipient's
 * stream), and checks every accepted message reached its recipient exactly once.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Sustained sending with every recipient subscribed; compares with baselines: an empty gRPC call, plain PostgreSQL and Kafka.")
final class SendScenario implements Callable<Integer> {
    @Option(names = "--target", description = "host:port of a running backend. Default: start one in this process (embedded PostgreSQL + Kafka).")
    String target;

    @Option(names = "--jdbc-url", description = "With --target: the backend's database, for the INSERT baseline.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", defaultValue = "messenger", description = "With --jdbc-url. Default: ${DEFAULT-VALUE}.")
    String jdbcUser;

    @Option(names = "--jdbc-password", defaultValue = "", description = "With --jdbc-url.")
    String jdbcPassword;

    @Option(names = "--server-pid", description = "With --target: the server's process id, to read the CPU time it "
            + "and its child processes (an embedded PostgreSQL) use per message from /proc.")
    Long serverPid;

    @Option(names = "--kafka", description = "With --target: the backend's Kafka (host:port), for the Kafka baseline.")
    String kafka;

    @Option(names = "--data-dir", description = "Embedded mode: where PostgreSQL and Kafka keep their data. Default: a new temporary directory.")
    Path dataDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Embedded mode: a server setting from application.yaml, "
            + "e.g. --set messages.send.writers=1 (repeatable), to measure what a setting changes.")
    Map<String, String> serverSettings = new HashMap<>();

    @Option(names = "--users", defaultValue = "20", description = "Users, each with a live Subscribe stream. Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(names = "--senders", defaultValue = "16", description = "Concurrent sending threads (the concurrency of the baselines too). Default: ${DEFAULT-VALUE}.")
    int senders;

    @Option(names = "--duration", defaultValue = "20", description = "Seconds of measured sending. Default: ${DEFAULT-VALUE}.")
    int durationSeconds;

    @Option(names = "--warmup", defaultValue = "5", description = "Seconds of sending before measuring. Default: ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(names = "--rate", defaultValue = "0", description = "Target messages/s over all senders (open loop); 0 sends as fast as possible. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--no-baseline", description = "Skip the baselines (empty gRPC call, PostgreSQL, Kafka).")
    boolean noBaseline;

    @Option(names = "--out", defaultValue = "target/loadtest/send.json", description = "Where the JSON results go. Default: ${DEFAULT-VALUE}.")
    Path out;


    @Override
    public Integer call() throws Exception {
        if (users < 2 || senders < 1 || durationSeconds < 1 || durationSeconds > 3600 || warmupSeconds < 0 || rate < 0) {
            System.err.println("Need --users >= 2, --senders >= 1, 1 <= --duration <= 3600, --warmup >= 0, --rate >= 0");
            return 2;
        }
        try (Backend backend = target == null
                ? Backend.embedded(dataDir, serverSettings)
                : Backend.external(target, jdbcUrl, jdbcUser, jdbcPassword, kafka)) {
            return run(backend);
        }
    }

    private int run(Backend backend) throws Exception {
        System.out.printf("Target %s: %d users, %d senders, %d s warm-up + %d s measured, rate %s%n",
                backend.target(), users, senders, warmupSeconds, durationSeconds, rate == 0 ? "unlimited" : rate + "/s");
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            ManagedChannel setup = track(channels, MessengerChannels.plaintext(backend.target()));
            List<Account> accounts = Account.register(setup, "lt", users);
            System.out.printf("Registered %d users%n", users);

            AtomicBoolean closing = new AtomicBoolean();
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
            Latency endToEnd = new Latency();
            AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
            for (Account account : accounts) {
                // One channel per feed: unary traffic must not share the feed's connection.
                ManagedChannel feedChannel = track(channels, MessengerChannels.plaintext(backend.target()));
                subscribe(feedChannel, account, sentAt, deliveries, endToEnd, measureFrom, closing);
            }

            int channelCount = Math.max(1, Math.min(senders, 4));
            List<ManagedChannel> sendChannels = new ArrayList<>();
            for (int i = 0; i < channelCount; i++) {
                sendChannels.add(track(channels, MessengerChannels.plaintext(backend.target())));
            }
            Latency sendLatency = new Latency();
            LongAdder accepted = new LongAdder();
            LongAdder acceptedMeasured = new LongAdder();
            Map<Status.Code, LongAdder> errors = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            long measureStart = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long end = measureStart + TimeUnit.SECONDS.toNanos(durationSeconds);
            measureFrom.set(measureStart);
            // Embedded: this process does everything (load, backend, PostgreSQL's child processes, Kafka).
            Optional<Long> cpuPid = backend.isEmbedded() ? Optional.of(ProcessHandle.current().pid()) : Optional.ofNullable(serverPid);
            CompletableFuture<Optional<Double>> cpuAtMeasureStart = CompletableFuture.supplyAsync(() -> {
                LockSupport.parkNanos(measureStart - System.nanoTime());
                return cpuPid.flatMap(ProcessTreeCpu::seconds);
            }, runnable -> Thread.ofVirtual().start(runnable));
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().name("sender-" + t).start(() -> sendLoop(thread, accounts,
                        sendChannels.get(thread % sendChannels.size()), sentAt, sendLatency, accepted, acceptedMeasured,
                        errors, measureStart, end)));
            }
            Progress.every(Duration.ofSeconds(1), start, end, accepted::sum,
                    () -> deliveries.values().stream().mapToLong(AtomicInteger::get).sum());
            for (Thread thread : threads) {
                thread.join();
            }
            Optional<Double> cpuAtEnd = cpuPid.flatMap(ProcessTreeCpu::seconds);
            long sent = accepted.sum();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (deliveredOnce(deliveries) < sent && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long delivered = deliveredOnce(deliveries);
            long duplicates = deliveries.values().stream().filter(count -> count.get() > 1).count();
            long missing = sentAt.keySet().stream().filter(id -> !deliveries.containsKey(id)).count();
            double throughput = acceptedMeasured.sum() / (double) durationSeconds;

            System.out.println();
            System.out.printf("Accepted          %,d messages (%,d in the measured %d s): %,.0f messages/s%n",
                    sent, acceptedMeasured.sum(), durationSeconds, throughput);
            System.out.printf("Send latency      %s%n", sendLatency.summary());
            System.out.printf("End-to-end        %s%n", endToEnd.summary());
            System.out.printf("Delivered once    %,d of %,d; duplicates %d; missing %d%n", delivered, sent, duplicates, missing);
            System.out.printf("Errors            %s%n", errors.isEmpty() ? "none" : errors);
            Optional<Double> cpuSeconds = cpuAtEnd.flatMap(atEnd -> cpuAtMeasureStart.join().map(atStart -> atEnd - atStart));
            int cores = Runtime.getRuntime().availableProcessors();
            double cpuPerMessageMicros = cpuSeconds.map(cpu -> cpu / acceptedMeasured.sum() * 1e6).orElse(-1.0);
            if (cpuSeconds.isPresent()) {
                System.out.printf("CPU per message   %,.0f µs of %s (%.2f of %d cores busy); with all %d cores busy: about %,.0f messages/s%n",
                        cpuPerMessageMicros, backend.isEmbedded() ? "everything (load generator, backend, PostgreSQL, Kafka)"
                                : "the server process tree", cpuSeconds.get() / durationSeconds, cores, cores, cores * 1e6 / cpuPerMessageMicros);
            } else {
                System.out.println("CPU per message   unknown (with --target, give --server-pid)");
            }

            JsonObjectBuilder json = Json.createObjectBuilder()
                    .add("scenario", "send")
                    .add("target", backend.target())
                    .add("server_settings", Json.createObjectBuilder(new TreeMap<String, Object>(serverSettings)))
                    .add("users", users).add("senders", senders).add("duration_s", durationSeconds)
                    .add("warmup_s", warmupSeconds).add("rate_limit", rate)
                    .add("accepted", sent).add("accepted_measured", acceptedMeasured.sum())
                    .add("messages_per_s", throughput)
                    .add("send_latency", sendLatency.json())
                    .add("end_to_end_latency", endToEnd.json())
                    .add("delivered_once", delivered).add("duplicates", duplicates).add("missing", missing);
            var errorJson = Json.createObjectBuilder();
            errors.forEach((code, count) -> errorJson.add(code.name(), count.sum()));
            json.add("errors", errorJson);
            json.add("cpu_per_message_us", cpuPerMessageMicros)
                    .add("cpu_measured", backend.isEmbedded() ? "whole process tree" : cpuPid.isPresent() ? "server process tree" : "none")
                    .add("cores", cores);

            if (!noBaseline) {
                Baselines.run(backend, senders, channelCount, durationSeconds, throughput, endToEnd, json);
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, json.build().toString());
            System.out.println("Results written to " + out.toAbsolutePath());
            closing.set(true);
            return duplicates == 0 && missing == 0 ? 0 : 1;
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private static long deliveredOnce(Map<String, AtomicInteger> deliveries) {
        return deliveries.values().stream().filter(count -> count.get() >= 1).count();
    }

    private static void subscribe(ManagedChannel channel, Account account, Map<String, Long> sentAt,
                                  Map<String, AtomicInteger> deliveries, Latency endToEnd, AtomicLong measureFrom,
                                  AtomicBoolean closing) {
        NotificationsServiceGrpc.newStub(channel).withCallCredentials(BearerToken.of(account.token()))
                .subscribe(SubscribeRequest.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(FeedEvent event) {
                        if (!event.hasMessage() || !event.getMessage().getMessage().getRecipientId().equals(account.id())) {
                            return;
                        }
                        long now = System.nanoTime();
                        String clientId = event.getMessage().getMessage().getClientMessageId();
                        deliveries.computeIfAbsent(clientId, id -> new AtomicInteger()).incrementAndGet();
                        Long started = sentAt.get(clientId);
                        if (started != null && started >= measureFrom.get()) {
                            endToEnd.record(now - started);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (!closing.get()) {
                            System.err.println("A feed ended during the run: " + t);
                        }
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    private void sendLoop(int thread, List<Account> accounts, ManagedChannel channel, Map<String, Long> sentAt,
                          Latency sendLatency, LongAdder accepted, LongAdder acceptedMeasured,
                          Map<Status.Code, LongAdder> errors, long measureStart, long end) {
        long interval = rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(senders) / rate;
        long next = System.nanoTime();
        for (long k = 0; System.nanoTime() < end; k++) {
            if (interval > 0) {
                // Open loop: latency counts from the planned start, so a stall is not hidden.
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            int from = (int) ((thread + k * senders) % accounts.size());
            int to = (from + 1 + (int) (k % (accounts.size() - 1))) % accounts.size();
            Account sender = accounts.get(from);
            String clientId = UUID.randomUUID().toString();
            long started = interval > 0 ? next : System.nanoTime();
            next += interval;
            sentAt.put(clientId, started);
            try {
                MessagesServiceGrpc.newBlockingStub(channel).withCallCredentials(BearerToken.of(sender.token()))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .sendMessage(SendMessageRequest.newBuilder().setRecipientId(accounts.get(to).id())
                                .setText("load test message " + k + " from thread " + thread).setClientMessageId(clientId).build());
                accepted.increment();
                if (started >= measureStart) {
                    acceptedMeasured.increment();
                    sendLatency.record(System.nanoTime() - started);
                }
            } catch (StatusRuntimeException e) {
                sentAt.remove(clientId);
                errors.computeIfAbsent(e.getStatus().getCode(), code -> new LongAdder()).increment();
            }
        }
    }


    private static ManagedChannel track(List<ManagedChannel> channels, ManagedChannel channel) {
        channels.add(channel);
        return channel;
    }
}
