package dev.messenger.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How every client of ours (desktop app, load generator, tests) talks to the server.
 * UNAVAILABLE is retried: it means the call can be tried again (a server restarting or draining,
 * the database briefly away), and sends carry a client_message_id so a retry never duplicates.
 * Keep the Subscribe feed on a channel of its own, so it can be closed and reopened without
 * touching the unary calls.
 */
public final class MessengerChannels {
    private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private MessengerChannels() {
    }

    /**
     * A plaintext channel to {@code host:port} with the retry policy and keep-alives our server
     * expects. For loopback and private networks only: passwords and tokens cross it in clear.
     */
    public static ManagedChannel plaintext(String target) {
        return configured(NettyChannelBuilder.forTarget(target).usePlaintext());
    }

    /**
     * A TLS channel to {@code host:port} (HTTP/2 by ALPN): the server's certificate must be valid
     * for the host and issued by an authority the system trusts or, for a self-hosted server, be
     * (or be issued by) one of {@code trusted}. A refused certificate fails calls with UNAVAILABLE
     * and an {@link UntrustedCertificateException} among the causes.
     */
    public static ManagedChannel tls(String target, Collection<X509Certificate> trusted) {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target).useTransportSecurity();
        try {
            builder.sslContext(GrpcSslContexts.forClient().trustManager(TrustedCertificates.systemAnd(trusted)).build());
        } catch (SSLException e) {
            throw new IllegalStateException("Cannot set up TLS", e);
        }
        return configured(builder);
    }

    private static ManagedChannel configured(NettyChannelBuilder builder) {
        return builder
                .defaultServiceConfig(serviceConfig())
                .enableRetry()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .build();
    }

    /** grpc-java's service config: retry UNAVAILABLE on every unary method of our services. */
    static Map<String, Object> serviceConfig() {
        Map<String, Object> retryPolicy = Map.of(
                "maxAttempts", 5.0,
                "initialBackoff", "0.05s",
                "maxBackoff", "2s",
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE"));
        List<Map<String, Object>> names = List.of(
                Map.of("service", "messenger.v1.UsersService"),
                Map.of("service", "messenger.v1.MessagesService"));
        return Map.of("methodConfig", List.of(Map.of("name", names, "retryPolicy", retryPolicy)));
    }
}
