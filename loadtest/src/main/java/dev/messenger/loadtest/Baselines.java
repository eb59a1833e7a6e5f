package dev.messenger.loadtest;

import dev.messenger.client.MessengerChannels;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the parts do on their own at the same concurrency: an empty gRPC call to the same server, a
 * single-row INSERT + COMMIT per call on the same PostgreSQL, and a produce → consume round trip on
 * the same Kafka. Our figures are reported as ratios to these,
 * since absolute numbers on a shared 2-core machine drift between runs.
 */
final class Baselines {
    private Baselines() {
    }

    static void run(Backend backend, int concurrency, int channels, int seconds, double ourRate, Latency ourEndToEnd,
                    JsonObjectBuilder json) throws Exception {
        Result empty = emptyGrpcCall(backend.target(), concurrency, channels, seconds);
        System.out.printf("Baseline empty gRPC call  %,.0f calls/s  %s%n", empty.rate(), empty.latency().summary());
        System.out.printf("  ratio: send / empty gRPC call = %.2f%n", ourRate / empty.rate());
        json.add("baseline_empty_grpc_call", Json.createObjectBuilder()
                .add("calls_per_s", empty.rate()).add("latency", empty.latency().json())
                .add("ratio_send_to_baseline", ourRate / empty.rate()));
        if (backend.jdbcUrl().isPresent()) {
            Result insert = insertCommit(backend, concurrency, seconds);
            System.out.printf("Baseline INSERT+COMMIT  %,.0f rows/s  %s%n", insert.rate(), insert.latency().summary());
            System.out.printf("  ratio: send / INSERT+COMMIT = %.2f%n", ourRate / insert.rate());
            json.add("baseline_insert_commit", Json.createObjectBuilder()
                    .add("rows_per_s", insert.rate()).add("latency", insert.latency().json())
                    .add("ratio_send_to_baseline", ourRate / insert.rate()));
        } else {
            System.out.println("Baseline INSERT+COMMIT skipped: give --jdbc-url");
        }
        if (backend.kafka().isPresent()) {
            Result kafka = kafkaRoundTrip(backend.kafka().get(), concurrency, seconds);
            System.out.printf("Baseline Kafka round trip  %,.0f records/s  %s%n", kafka.rate(), kafka.latency().summary());
            System.out.printf("  ratio: end-to-end p99 / Kafka round-trip p99 = %.2f%n",
                    ourEndToEnd.p99Millis() / kafka.latency().p99Millis());
            json.add("baseline_kafka_round_trip", Json.createObjectBuilder()
                    .add("records_per_s", kafka.rate()).add("latency", kafka.latency().json())
                    .add("ratio_end_to_end_p99_to_baseline_p99", ourEndToEnd.p99Millis() / kafka.latency().p99Millis()));
        } else {
            System.out.println("Baseline Kafka skipped: give --kafka");
        }
    }

    private record Result(double rate, Latency latency) {
    }

    /**
     * The standard gRPC health check against the same server, through the same kind of client, channels
     * and threads as the send scenario: a call that does no work, so its rate is the ceiling that gRPC
     * on this machine puts on any call, a send included.
     */
    private static Result emptyGrpcCall(String target, int concurrency, int channelCount, int seconds) throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < channelCount; i++) {
            channels.add(MessengerChannels.plaintext(target));
        }
        try {
            Latency latency = new Latency();
            LongAdder calls = new LongAdder();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                var health = HealthGrpc.newBlockingStub(channels.get(t % channelCount));
                threads.add(Thread.ofPlatform().start(() -> {
                    while (System.nanoTime() < end) {
                        long started = System.nanoTime();
                        health.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
                        latency.record(System.nanoTime() - started);
                        calls.increment();
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            return new Result(calls.sum() / (double) seconds, latency);
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private static Result insertCommit(Backend backend, int concurrency, int seconds) throws Exception {
        try (Connection setup = connect(backend)) {
            setup.createStatement().execute("""
                    CREATE TABLE IF NOT EXISTS loadtest_baseline (
                        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        body text NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now())""");
        }
        Latency latency = new Latency();
        LongAdder rows = new LongAdder();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (Connection connection = connect(backend);
                     PreparedStatement insert = connection.prepareStatement("INSERT INTO loadtest_baseline (body) VALUES (?)")) {
                    connection.setAutoCommit(true);
                    while (System.nanoTime() < end) {
                        long started = System.nanoTime();
                        insert.setString(1, "baseline row");
                        insert.executeUpdate();
                        latency.record(System.nanoTime() - started);
                        rows.increment();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        try (Connection cleanup = connect(backend)) {
            cleanup.createStatement().execute("DROP TABLE loadtest_baseline");
        }
        return new Result(rows.sum() / (double) seconds, latency);
    }

    private static Connection connect(Backend backend) throws SQLException {
        return DriverManager.getConnection(backend.jdbcUrl().orElseThrow(), backend.jdbcUser(), backend.jdbcPassword());
    }

    private static Result kafkaRoundTrip(String bootstrap, int concurrency, int seconds) throws Exception {
        String topic = "loadtest-baseline-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Latency latency = new Latency();
        LongAdder received = new LongAdder();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
                "enable.idempotence", "true", "linger.ms", "1"), new ByteArraySerializer(), new ByteArraySerializer());
             var consumer = new KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers", bootstrap,
                     "enable.auto.commit", "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                producers.add(Thread.ofPlatform().start(() -> {
                    while (System.nanoTime() < end) {
                        byte[] sentAt = ByteBuffer.allocate(Long.BYTES).putLong(System.nanoTime()).array();
                        try {
                            // Like the outbox relay: wait for the broker's acknowledgement.
                            producer.send(new ProducerRecord<>(topic, UUID.randomUUID().toString().getBytes(), sentAt)).get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            long drainUntil = end + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < drainUntil) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    latency.record(System.nanoTime() - ByteBuffer.wrap(record.value()).getLong());
                    received.increment();
                }
            }
            for (Thread thread : producers) {
                thread.join();
            }
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
        return new Result(received.sum() / (double) seconds, latency);
    }
}
