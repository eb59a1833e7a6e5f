package dev.messenger.messages;

import dev.messenger.platform.db.Rows;
import dev.messenger.platform.db.Transactions;
import dev.messenger.platform.kafka.KafkaSettings;
import dev.messenger.platform.service.RetryBackoff;
import io.helidon.dbclient.DbClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes outbox rows to Kafka after their transaction committed, then deletes them. Rows are
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so several server instances can relay side by side.
 * While Kafka is unreachable the rows wait and sending goes on; publishing resumes when it is back.
 * Delivery is at least once: a crash between publish and delete publishes again, and consumers drop
 * repeats by feed sequence number.
 */
final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());
    private static final int BATCH = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private record Row(long id, String topic, String key, byte[] payload) {
    }

    private final DbClient db;
    private final Producer<String, byte[]> producer;
    private final Duration pollInterval;
    private final Duration gather;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running = true;
    private Thread worker;

    /**
     * @param gather how long to let rows accumulate after a wake-up before claiming them: larger,
     *               fewer Kafka batches (the broker's per-request cost dominates at high rates)
     *               against that much more delivery latency
     */
    OutboxRelay(DbClient db, KafkaSettings kafka, Duration pollInterval, Duration gather) {
        this.db = db;
        this.pollInterval = pollInterval;
        this.gather = gather;
        this.producer = new KafkaProducer<>(kafka.clientProperties(Map.of(
                "acks", "all",
                "enable.idempotence", "true",
                "linger.ms", "1",
                "max.block.ms", "5000",
                "request.timeout.ms", "5000",
                "delivery.timeout.ms", "10000",
                "client.id", "messenger-outbox-relay")),
                new StringSerializer(), new ByteArraySerializer());
    }

    void start() {
        worker = Thread.ofPlatform().name("outbox-relay").daemon().start(this::run);
    }

    /** Tells the relay that new rows are committed, so it publishes them now rather than at the next poll. */
    void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void run() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), MAX_BACKOFF);
        boolean failing = false;
        while (running) {
            try {
                int published = relayBatch();
                if (failing) {
                    LOG.info("Kafka reachable again; outbox relay resumed");
                    failing = false;
                }
                backoff.reset();
                if (published < BATCH) {
                    if (wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS) && gather.isPositive()) {
                        Thread.sleep(gather);
                    }
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!failing) {
                    LOG.log(Level.WARNING, "Outbox relay cannot publish; messages are kept and retried: " + e);
                    failing = true;
                }
                backoff.pause();
            }
        }
    }

    /** Claims, publishes and deletes one batch; returns how many rows it published. */
    int relayBatch() {
        return Transactions.inTransaction(db, tx -> {
            List<Row> rows;
            try (var stream = tx.createQuery("""
                            SELECT id, topic, record_key, payload FROM outbox
                            ORDER BY id LIMIT :batch FOR UPDATE SKIP LOCKED""")
                    .addParam("batch", BATCH)
                    .execute()) {
                rows = stream.map(row -> new Row(Rows.longValue(row, "id"), Rows.string(row, "topic"),
                        Rows.string(row, "record_key"), Rows.bytes(row, "payload"))).toList();
            }
            if (rows.isEmpty()) {
                return 0;
            }
            List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
            for (Row row : rows) {
                acks.add(producer.send(new ProducerRecord<>(row.topic(), row.key(), row.payload())));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                awaitAck(ack);
            }
            Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
            tx.createDelete("DELETE FROM outbox WHERE id = ANY(CAST(:ids AS bigint[]))").addParam("ids", ids).execute();
            return rows.size();
        });
    }

    private static void awaitAck(Future<RecordMetadata> ack) {
        try {
            ack.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not acknowledge: " + e.getMessage(), e);
        }
    }

    /** Stops after the batch in flight; rows not yet published stay in the outbox for the next start. */
    @Override
    public void close() {
        running = false;
        wakeUp();
        if (worker != null) {
            try {
                worker.join(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
