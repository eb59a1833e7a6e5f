package dev.messenger.server;

import dev.messenger.platform.limits.TrustedProxies;
import io.helidon.config.Config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The settings of the process as a whole (the services read their own), read once. The defaults
 * live in application.yaml only; a missing key is a start-up error that names it.
 */
record ServerSettings(Set<String> services, Infrastructure.Settings infrastructure, boolean migrate, Duration tokenTtl,
                      boolean sessionCacheEnabled, Duration sessionCacheMaxAge, int sessionCacheMaxEntries,
                      TrustedProxies trustedProxies, boolean rateLimitsEnabled, int rateLimitsMaxTrackedKeys,
                      int maxConcurrentCalls, ServerTls.Settings tls, String host) {
    private static final String LOOPBACK = "127.0.0.1";
    private static final String ALL_INTERFACES = "0.0.0.0";

    static final List<String> ALL_SERVICES = List.of("users", "messages", "notifications");

    static ServerSettings from(Config config) {
        Config cache = config.get("auth.session-cache");
        Config limits = config.get("messenger.rate-limits");
        ServerTls.Settings tls = ServerTls.Settings.from(config.get("messenger.tls"));
        return new ServerSettings(
                services(config.get("messenger.services")),
                Infrastructure.Settings.from(config),
                config.get("db.migrate").asBoolean().get(),
                config.get("auth.token-ttl").as(Duration.class).get(),
                cache.get("enabled").asBoolean().get(),
                cache.get("max-age").as(Duration.class).get(),
                cache.get("max-entries").asInt().get(),
                trustedProxies(config.get("messenger.trusted-proxies")),
                limits.get("enabled").asBoolean().get(),
                limits.get("max-tracked-keys").asInt().get(),
                config.get("messenger.max-concurrent-calls").asInt().get(),
                tls,
                host(config.get("server.host"), tls));
    }

    /**
     * {@code server.host} when set; otherwise every interface with TLS, and loopback only without:
     * a plaintext server is reachable from elsewhere only when someone asked for it.
     */
    private static String host(Config host, ServerTls.Settings tls) {
        return host.asString().map(String::strip).filter(value -> !value.isEmpty())
                .orElse(tls.enabled() ? ALL_INTERFACES : LOOPBACK);
    }

    /** Listening in plaintext where others can reach it: passwords and tokens would cross the network in clear. */
    boolean plaintextBeyondLoopback() {
        if (tls.enabled()) {
            return false;
        }
        try {
            return !java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return true;
        }
    }

    /** A list in YAML, or "a,b" from an environment variable. */
    private static List<String> list(Config node) {
        return node.isLeaf()
                ? Arrays.stream(node.asString().get().split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList()
                : node.asList(String.class).get();
    }

    private static Set<String> services(Config node) {
        List<String> names = list(node);
        for (String name : names) {
            if (!ALL_SERVICES.contains(name)) {
                throw new IllegalArgumentException("Unknown service '" + name + "' in messenger.services; known: " + ALL_SERVICES);
            }
        }
        return Set.copyOf(names);
    }

    private static TrustedProxies trustedProxies(Config node) {
        try {
            return TrustedProxies.of(list(node));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("messenger.trusted-proxies: " + e.getMessage(), e);
        }
    }
}
