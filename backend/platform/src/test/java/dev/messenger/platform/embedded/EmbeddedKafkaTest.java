package dev.messenger.platform.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
    private static final String TOPIC = "embedded-kafka-test";
    private static final int PARTITIONS = 3;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void recordsSurviveARestartOnTheSamePort() throws Exception {
        Map<String, String> written = new LinkedHashMap<>();
        IntStream.range(0, 100).forEach(i -> written.put("key-" + i, "value-" + i));
        String bootstrapServers;

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            bootstrapServers = kafka.bootstrapServers();
            assertTrue(bootstrapServers.startsWith("127.0.0.1:"), bootstrapServers);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                        .all().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
            produce(bootstrapServers, written);
            assertEquals(written, asMap(consumeAll(bootstrapServers, written.size())));
        }

        int port = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, port)) {
            assertEquals(bootstrapServers, kafka.bootstrapServers());
            assertEquals(written, asMap(consumeAll(bootstrapServers, written.size())));

            produce(bootstrapServers, Map.of("key-after-restart", "value-after-restart"));
            List<ConsumerRecord<String, String>> all = consumeAll(bootstrapServers, written.size() + 1);
            assertEquals("value-after-restart", asMap(all).get("key-after-restart"));
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void closingTwiceIsHarmless() {
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0);
        kafka.close();
        kafka.close();
    }

    private static void produce(String bootstrapServers, Map<String, String> records) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DEADLINE.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) DEADLINE.toMillis() / 2);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            var sends = records.entrySet().stream()
                    .map(e -> producer.send(new ProducerRecord<>(TOPIC, e.getKey(), e.getValue())))
                    .toList();
            for (var send : sends) {
                send.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** Reads the topic from the beginning until it has seen expected records or the deadline passes. */
    private static List<ConsumerRecord<String, String>> consumeAll(String bootstrapServers, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(TOPIC, p))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertEquals(expected, records.size(), "records read back from " + TOPIC);
            return records;
        }
    }

    private static Map<String, String> asMap(List<ConsumerRecord<String, String>> records) {
        Map<String, String> byKey = new LinkedHashMap<>();
        records.forEach(r -> byKey.put(r.key(), r.value()));
        return byKey;
    }
}
