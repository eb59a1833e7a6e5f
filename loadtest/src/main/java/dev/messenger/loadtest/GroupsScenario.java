package dev.messenger.loadtest;

import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.client.BearerToken;
import dev.messenger.client.MessengerChannels;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Group fan-out: for each group size, that many users with a live feed each, one group of all of
 * them, and senders (members) sending to it. Measures accepted messages/s, feed deliveries/s, the
 * latency from the send's start to its delivery on each member's stream and to the last member's,
 * and checks that every member received every accepted message exactly once.
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = "Messages to groups whose every member has a live feed: fan-out throughput and latency to the last member.")
final class GroupsScenario implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "10,100,1000", description = "Group sizes to measure, one after another. Default: ${DEFAULT-VALUE}.")
    List<Integer> sizes;

    @Option(names = "--senders", defaultValue = "4", description = "Concurrent sending threads, each sending as a random member. Default: ${DEFAULT-VALUE}.")
    int senders;

    @Option(names = "--duration", defaultValue = "15", description = "Seconds of measured sending per size. Default: ${DEFAULT-VALUE}.")
    int durationSeconds;

    @Option(names = "--warmup", defaultValue = "3", description = "Seconds of sending before measuring, per size. Default: ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(names = "--streams-per-connection", defaultValue = "250", description = "Feeds sharing one HTTP/2 connection. Default: ${DEFAULT-VALUE}.")
    int perConnection;

    @Option(names = "--data-dir", description = "Where the embedded PostgreSQL and Kafka keep their data. Default: a new temporary directory.")
    Path dataDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A server setting from application.yaml (repeatable).")
    Map<String, String> serverSettings = new HashMap<>();

    @Option(names = "--out", defaultValue = "target/loadtest/groups.json", description = "Where the JSON results go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (sizes.isEmpty() || sizes.stream().anyMatch(size -> size < 2 || size > 1000) || senders < 1 || durationSeconds < 1
                || warmupSeconds < 0 || perConnection < 1) {
            System.err.println("Need 2 <= each of --sizes <= 1000, --senders >= 1, --duration >= 1, --warmup >= 0");
            return 2;
        }
        Map<String, String> settings = new HashMap<>(Map.of(
                // Thousands of sign-ins and feeds from one address: the limits would (rightly) stop them.
                "messenger.rate-limits.enabled", "false",
                "users.password-hash.memory-kib", "1024", "users.password-hash.iterations", "1"));
        settings.putAll(serverSettings);
        try (Backend backend = Backend.embedded(dataDir, settings)) {
            JsonArrayBuilder runs = Json.createArrayBuilder();
            boolean exactlyOnce = true;
            for (int size : sizes) {
                JsonObject run = measure(backend, size);
                runs.add(run);
                exactlyOnce &= run.getInt("duplicates") == 0 && run.getInt("missing") == 0;
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, Json.createObjectBuilder().add("scenario", "groups").add("senders", senders)
                    .add("duration_s", durationSeconds).add("runs", runs).build().toString());
            System.out.println("Results written to " + out.toAbsolutePath());
            return exactlyOnce ? 0 : 1;
        }
    }

    private JsonObject measure(Backend backend, int size) throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        AtomicBoolean closing = new AtomicBoolean();
        try {
            ManagedChannel unary = MessengerChannels.plaintext(backend.target());
            channels.add(unary);
            List<Account> members = Account.register(unary, "grp", size);
            var messages = MessagesServiceGrpc.newBlockingStub(unary);
            String group = messages.withCallCredentials(BearerToken.of(members.getFirst().token()))
                    .createGroup(CreateGroupRequest.newBuilder().setTitle("Load " + size)
                            .addAllMemberIds(members.stream().skip(1).map(Account::id).toList()).build())
                    .getConversation().getId();

            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> reached = new ConcurrentHashMap<>();
            Set<String> duplicates = ConcurrentHashMap.newKeySet();
            LongAdder deliveries = new LongAdder();
            LongAdder opened = new LongAdder();
            Latency perDelivery = new Latency();
            Latency toLast = new Latency();
            AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
            ManagedChannel feeds = null;
            for (int i = 0; i < members.size(); i++) {
                if (i % perConnection == 0) {
                    feeds = MessengerChannels.plaintext(backend.target());
                    channels.add(feeds);
                }
                subscribe(feeds, members.get(i), group, size, sentAt, reached, duplicates, deliveries, opened, perDelivery, toLast,
                        measureFrom, closing);
            }
            long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (opened.sum() < size && System.nanoTime() < openDeadline) {
                Thread.sleep(50);
            }

            LongAdder accepted = new LongAdder();
            LongAdder errors = new LongAdder();
            AtomicBoolean sending = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                threads.add(Thread.ofPlatform().name("group-sender-" + t).start(() -> {
                    while (sending.get()) {
                        Account from = members.get(ThreadLocalRandom.current().nextInt(members.size()));
                        String clientId = UUID.randomUUID().toString();
                        sentAt.put(clientId, System.nanoTime());
                        try {
                            messages.withCallCredentials(BearerToken.of(from.token())).withDeadlineAfter(10, TimeUnit.SECONDS)
                                    .sendMessage(SendMessageRequest.newBuilder().setConversationId(group)
                                            .setText("to all " + size).setClientMessageId(clientId).build());
                            if (sentAt.get(clientId) >= measureFrom.get()) {
                                accepted.increment();
                            }
                        } catch (StatusRuntimeException e) {
                            sentAt.remove(clientId);
                            errors.increment();
                        }
                    }
                }));
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
            long deliveriesBefore = deliveries.sum();
            measureFrom.set(System.nanoTime());
            Thread.sleep(TimeUnit.SECONDS.toMillis(durationSeconds));
            sending.set(false);
            double seconds = (System.nanoTime() - measureFrom.get()) / 1e9;
            long measuredDeliveries = deliveries.sum() - deliveriesBefore;
            for (Thread thread : threads) {
                thread.join();
            }
            long expected = (long) sentAt.size() * size;
            long settleDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (deliveries.sum() < expected && System.nanoTime() < settleDeadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);
            long missing = sentAt.keySet().stream()
                    .mapToLong(id -> size - Math.min(size, reached.getOrDefault(id, new AtomicInteger()).get())).sum();
            System.out.printf("Group of %,d: %,.0f messages/s accepted, %,.0f deliveries/s, to the last member %s; "
                            + "each delivery %s; %d errors, %d duplicates, %d missing%n",
                    size, accepted.sum() / seconds, measuredDeliveries / seconds, toLast.summary(), perDelivery.summary(),
                    errors.sum(), duplicates.size(), missing);
            return Json.createObjectBuilder()
                    .add("members", size).add("accepted_per_s", accepted.sum() / seconds)
                    .add("deliveries_per_s", measuredDeliveries / seconds)
                    .add("latency_to_last_member", toLast.json()).add("latency_per_delivery", perDelivery.json())
                    .add("messages", sentAt.size()).add("errors", errors.sum())
                    .add("duplicates", duplicates.size()).add("missing", missing)
                    .build();
        } finally {
            closing.set(true);
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    /**
     * A member's feed: each of the group's messages counts for its per-delivery latency, and the
     * delivery that completes a message's round of all members for the latency to the last one.
     */
    private static void subscribe(ManagedChannel channel, Account member, String group, int size, Map<String, Long> sentAt,
                                  Map<String, AtomicInteger> reached, Set<String> duplicates, LongAdder deliveries,
                                  LongAdder opened, Latency perDelivery, Latency toLast, AtomicLong measureFrom, AtomicBoolean closing) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        NotificationsServiceGrpc.newStub(channel).withCallCredentials(BearerToken.of(member.token()))
                .subscribe(SubscribeRequest.getDefaultInstance(), new StreamObserver<>() {
                    private boolean first = true;

                    @Override
                    public void onNext(FeedEvent event) {
                        if (first) {
                            first = false;
                            opened.increment();
                        }
                        if (!event.hasMessage() || !event.getMessage().getMessage().getConversationId().equals(group)) {
                            return;
                        }
                        long now = System.nanoTime();
                        String clientId = event.getMessage().getMessage().getClientMessageId();
                        if (!seen.add(clientId)) {
                            duplicates.add(member.id() + "/" + clientId);
                            return;
                        }
                        deliveries.increment();
                        boolean last = reached.computeIfAbsent(clientId, id -> new AtomicInteger()).incrementAndGet() == size;
                        Long started = sentAt.get(clientId);
                        if (started == null || started < measureFrom.get()) {
                            return;
                        }
                        perDelivery.record(now - started);
                        if (last) {
                            toLast.record(now - started);
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
}
