package dev.messenger.platform.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the shared topic if it is missing, so a fresh broker needs no manual setup. */
public final class Topics {
    private Topics() {
    }

    /** @return true when the topic exists now; false when Kafka could not be reached in time */
    public static boolean ensure(KafkaSettings settings, long timeoutMillis) {
        Map<String, Object> properties = settings.clientProperties(Map.of(
                "request.timeout.ms", (int) Math.min(timeoutMillis, Integer.MAX_VALUE),
                "default.api.timeout.ms", (int) Math.min(timeoutMillis, Integer.MAX_VALUE)));
        try (Admin admin = Admin.create(properties)) {
            admin.createTopics(List.of(new NewTopic(settings.messageEventsTopic(), settings.partitions(), (short) -1)))
                    .all().get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return e.getCause() instanceof TopicExistsException;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
