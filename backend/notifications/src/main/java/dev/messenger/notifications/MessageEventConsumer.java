package dev.messenger.notifications;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.MemberSeq;
import dev.messenger.api.v1.MessageSentEvent;
import dev.messenger.platform.kafka.KafkaSettings;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads every partition of the message topic (no consumer group: each instance needs every event
 * for the users connected to it) from the end, logs each message and hands it to the feeds of its
 * recipient and sender. Feeds replay from PostgreSQL, so starting at the end loses nothing.
 */
final class MessageEventConsumer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MessageEventConsumer.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final FeedHub hub;
    private volatile boolean running = true;
    private Thread worker;

    MessageEventConsumer(KafkaSettings kafka, FeedHub hub) {
        this.topic = kafka.messageEventsTopic();
        this.hub = hub;
        this.consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                "enable.auto.commit", "false",
                "auto.offset.reset", "latest",
                "client.id", "messenger-notifications-" + UUID.randomUUID())),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    void start() {
        worker = Thread.ofPlatform().name("message-event-consumer").daemon().start(this::run);
    }

    private void run() {
        boolean warned = false;
        while (running) {
            try {
                if (consumer.assignment().isEmpty() && !assignAllPartitions()) {
                    if (!warned) {
                        LOG.warning("Topic " + topic + " not reachable yet; live delivery waits for Kafka "
                                + "(feeds still catch up from the database at every heartbeat)");
                        warned = true;
                    }
                    Thread.sleep(RETRY);
                    continue;
                }
                if (warned) {
                    LOG.info("Consuming " + topic);
                    warned = false;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    handle(record);
                }
            } catch (WakeupException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.WARNING, "Kafka consumer failed; retrying", e);
                sleepQuietly();
            }
        }
    }

    private boolean assignAllPartitions() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, RETRY);
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(consumer::position);
        return true;
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        MessageSentEvent event;
        try {
            event = MessageSentEvent.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            LOG.warning("Skipping a malformed event at " + record.topic() + "-" + record.partition() + "@" + record.offset());
            return;
        }
        var message = event.getMessage();
        // FINE, not INFO: who writes to whom is the social graph, not operational news. Ids and sizes
        // only even then: message text stays out of the logs.
        LOG.fine(() -> "Message " + message.getId() + " from " + message.getSenderId() + " in "
                + message.getConversationId() + " (" + message.getText().length() + " chars)");
        if (message.getRecipientId().isEmpty()) {
            // A group's: each member's own number; members connected elsewhere are another instance's.
            for (MemberSeq member : event.getMemberSeqsList()) {
                hub.deliver(UUID.fromString(member.getUserId()),
                        FeedMessage.newBuilder().setSeq(member.getSeq()).setMessage(message).build());
            }
            return;
        }
        hub.deliver(UUID.fromString(message.getRecipientId()),
                FeedMessage.newBuilder().setSeq(event.getRecipientSeq()).setMessage(message).build());
        hub.deliver(UUID.fromString(message.getSenderId()),
                FeedMessage.newBuilder().setSeq(event.getSenderSeq()).setMessage(message).build());
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(RETRY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (worker != null) {
            try {
                worker.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
