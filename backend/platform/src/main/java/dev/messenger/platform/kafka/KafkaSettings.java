package dev.messenger.platform.kafka;

import java.util.Map;

/**
 * Where Kafka is and the topic the services share.
 *
 * @param bootstrapServers   host:port list
 * @param messageEventsTopic the topic of {@code MessageSentEvent}s, keyed by recipient id
 * @param partitions         partitions for the topic when the server creates it
 * @param clientOverrides    extra client properties (security, time-outs) applied to every client
 */
public record KafkaSettings(String bootstrapServers, String messageEventsTopic, int partitions,
                            Map<String, String> clientOverrides) {
    public KafkaSettings {
        clientOverrides = Map.copyOf(clientOverrides);
    }

    public Map<String, Object> clientProperties(Map<String, Object> own) {
        var properties = new java.util.HashMap<String, Object>(own);
        properties.put("bootstrap.servers", bootstrapServers);
        properties.putAll(clientOverrides);
        return properties;
    }
}
