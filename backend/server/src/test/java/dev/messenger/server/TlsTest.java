package dev.messenger.server;

import dev.messenger.api.v1.GetUserRequest;
import dev.messenger.api.v1.LoginRequest;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.MessengerChannels;
import dev.messenger.client.TrustedCertificates;
import dev.messenger.client.UntrustedCertificateException;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestCertificates;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the one port, with certificates made here: gRPC and REST (HTTP/2 by ALPN, and HTTP/1.1)
 * through it, the certificate problems a client meets refused, a renewed certificate loaded
 * without a restart, and the listening address chosen safely when TLS is off.
 */
@ExtendWith(BackendExtension.class)
class TlsTest {
    private static TestBackend backend;
    private static Path dir;
    private static TestCertificates.Issued certificate;
    private static MessengerServer server;

    @BeforeAll
    static void start(TestBackend testBackend) throws Exception {
        backend = testBackend;
        dir = Files.createTempDirectory("messenger-tls-");
        certificate = TestCertificates.forLocalhost(dir, "server");
        server = MessengerServer.start(backend.config(tls(certificate)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void grpcCallsWorkOverTls() throws Exception {
        withChannel(MessengerChannels.tls("localhost:" + server.port(), List.of(certificate.certificate())), channel -> {
            assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                    HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance()).getStatus());
            TestUser user = TestUser.create(channel, "tls");
            assertEquals(user.username(), user.as(UsersServiceGrpc.newBlockingStub(channel))
                    .getUser(GetUserRequest.getDefaultInstance()).getUser().getUsername());
            return null;
        });
    }

    @Test
    void restWorksOverTlsOnHttp2AndHttp11() throws Exception {
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
            HttpResponse<String> health = https(List.of(certificate.certificate()), version)
                    .send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/observe/health")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertEquals(version, health.version(), "negotiated by ALPN");
        }
    }

    @Test
    void aPlaintextClientGetsNoAnswerFromTheTlsPort() throws Exception {
        withChannel(MessengerChannels.plaintext("127.0.0.1:" + server.port()), channel -> {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> UsersServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .login(LoginRequest.newBuilder().setUsername("someone").setPassword("secret password").build()));
            assertNotEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode(), "nothing was read in clear");
            return null;
        });
    }

    @Test
    void aCertificateNobodyVouchedForIsRefused() throws Exception {
        UntrustedCertificateException refused = handshakeProblem("localhost:" + server.port(), List.of());
        assertEquals(UntrustedCertificateException.Reason.UNKNOWN_ISSUER, refused.reason());
        assertEquals("localhost", refused.host());
        assertEquals(List.of("localhost", "127.0.0.1"), refused.names());
        assertEquals(HexFormat.ofDelimiter(":").withUpperCase().formatHex(
                MessageDigest.getInstance("SHA-256").digest(certificate.certificate().getEncoded())), refused.fingerprint());
    }

    @Test
    void aCertificateForAnotherHostIsRefusedEvenWhenTrusted() throws Exception {
        TestCertificates.Issued elsewhere = TestCertificates.selfSigned(dir, "elsewhere", List.of("chat.example.org"),
                Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(1));
        try (MessengerServer other = MessengerServer.start(backend.config(tls(elsewhere)))) {
            UntrustedCertificateException refused = handshakeProblem("localhost:" + other.port(), List.of(elsewhere.certificate()));
            assertEquals(UntrustedCertificateException.Reason.WRONG_HOST, refused.reason());
            assertEquals(List.of("chat.example.org"), refused.names());
        }
    }

    @Test
    void anExpiredCertificateIsRefusedEvenWhenTrusted() throws Exception {
        TestCertificates.Issued expired = TestCertificates.selfSigned(dir, "expired", List.of("localhost"),
                Instant.now().minus(Duration.ofDays(2)), Duration.ofDays(1));
        try (MessengerServer other = MessengerServer.start(backend.config(tls(expired)))) {
            UntrustedCertificateException refused = handshakeProblem("localhost:" + other.port(), List.of(expired.certificate()));
            assertEquals(UntrustedCertificateException.Reason.EXPIRED, refused.reason());
            assertEquals(expired.certificate(), refused.certificate());
        }
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        Path renewalDir = Files.createTempDirectory(dir, "renewal");
        TestCertificates.Issued first = TestCertificates.forLocalhost(renewalDir, "site");
        try (MessengerServer renewing = MessengerServer.start(backend.config(tls(first)))) {
            assertEquals(first.certificate().getSerialNumber(), servedSerial(renewing, List.of(first.certificate())));
            // certbot writes new files in place; the modification time must move for the check to see it.
            Thread.sleep(1_100);
            TestCertificates.Issued second = TestCertificates.forLocalhost(renewalDir, "site");
            List<X509Certificate> both = List.of(first.certificate(), second.certificate());
            long deadline = System.nanoTime() + ServerTls.CHECK_INTERVAL.multipliedBy(3).toNanos();
            while (!servedSerial(renewing, both).equals(second.certificate().getSerialNumber())) {
                assertTrue(System.nanoTime() < deadline, "the renewed certificate was not served within "
                        + ServerTls.CHECK_INTERVAL.multipliedBy(3));
                Thread.sleep(500);
            }
        }
    }

    @Test
    void withoutTlsTheServerListensOnLoopbackUnlessTheHostIsSet() {
        assertEquals("127.0.0.1", ServerSettings.from(backend.config(Map.of("server.host", ""))).host());
        assertEquals("0.0.0.0", ServerSettings.from(backend.config(with(tls(certificate), "server.host", ""))).host());
        assertEquals("0.0.0.0", ServerSettings.from(backend.config(Map.of("server.host", "0.0.0.0"))).host());
        assertTrue(ServerSettings.from(backend.config(Map.of("server.host", "0.0.0.0"))).plaintextBeyondLoopback());
        assertEquals(false, ServerSettings.from(backend.config(Map.of("server.host", ""))).plaintextBeyondLoopback());
        IllegalArgumentException half = assertThrows(IllegalArgumentException.class, () -> ServerSettings.from(
                backend.config(Map.of("messenger.tls.certificate", certificate.certificateFile().toString()))));
        assertTrue(half.getMessage().contains("both"), half.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, String> tls(TestCertificates.Issued issued) {
        return Map.of("messenger.tls.certificate", issued.certificateFile().toString(),
                "messenger.tls.private-key", issued.privateKeyFile().toString());
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var all = new java.util.HashMap<>(base);
        all.put(key, value);
        return all;
    }

    private static HttpClient https(Collection<X509Certificate> trusted, HttpClient.Version version) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {TrustedCertificates.systemAnd(trusted)}, null);
        return HttpClient.newBuilder().sslContext(context).version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The serial number of the certificate a new connection is shown. */
    private static BigInteger servedSerial(MessengerServer on, Collection<X509Certificate> trusted) throws Exception {
        HttpResponse<String> response = https(trusted, HttpClient.Version.HTTP_1_1).send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + on.port() + "/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    /** Why the client refused the server's certificate, for a handshake that must fail. */
    private static UntrustedCertificateException handshakeProblem(String target, Collection<X509Certificate> trusted) throws Exception {
        return withChannel(MessengerChannels.tls(target, trusted), channel -> {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
            return UntrustedCertificateException.findIn(e)
                    .orElseThrow(() -> new AssertionError("no explained certificate problem in " + e, e));
        });
    }

    private static <T> T withChannel(ManagedChannel channel, Function<ManagedChannel, T> use) throws InterruptedException {
        try {
            return use.apply(channel);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
