package dev.messenger.desktop.ui;

import dev.messenger.server.MessengerServer;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestCertificates;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The desktop app over TLS to a real server with a certificate made at test time: a certificate
 * nobody vouches for is explained (with its fingerprint) and can be trusted by choosing its file; a
 * certificate for another host is refused in words; plaintext to another computer only on explicit
 * choice, with a warning that stays in the sidebar.
 */
class SecureConnectionUiTest extends UiTest {
    private static final String PASSWORD = "correct horse battery";
    private static Path dir;
    private static TestCertificates.Issued certificate;
    private static MessengerServer tlsServer;

    @BeforeAll
    static void start(TestBackend backend) throws Exception {
        dir = Files.createTempDirectory("messenger-desktop-tls-");
        certificate = TestCertificates.forLocalhost(dir, "server");
        tlsServer = MessengerServer.start(backend.config(tls(certificate)));
    }

    @AfterAll
    static void stop() {
        tlsServer.close();
    }

    @Test
    void anUnknownIssuerIsExplainedAndTheChosenCertificateFileIsTrustedAndRemembered() throws Exception {
        AppWindow window = opened.window("tls");
        String server = "localhost:" + tlsServer.port();
        window.type("#server", server);
        window.waitUntil("this computer is reached in plaintext unless told otherwise", () -> window.shows(
                "#connectionSummary", "Unencrypted, to this computer only"::equals));
        window.click("#toggleMode");
        window.type("#server", "https://" + server);
        window.waitUntil("TLS is announced", () -> window.shows("#connectionSummary",
                ("Encrypted (TLS) to https://" + server)::equals));
        String username = "tls_" + UUID.randomUUID().toString().substring(0, 8);
        window.type("#username", username);
        window.type("#password", PASSWORD);
        window.click("#submit");
        String fingerprint = fingerprint();
        window.waitUntil("the refusal is explained", () -> window.shows("#loginError", text ->
                text.contains("not vouched for by any authority") && text.replace('\n', ':').contains(fingerprint)));
        window.screenshot("certificate-error");
        assertFalse(window.hasNode("#conversations"), "not signed in");
        TextField file = window.node("#certificateFile");
        assertTrue(file.isVisible(), "the certificate file field is offered");

        window.type("#certificateFile", certificate.certificateFile().toString());
        window.type("#password", PASSWORD);
        window.click("#submit");
        window.waitUntil("signed in over TLS", () -> window.hasNode("#conversations"));
        window.waitUntil("the live feed runs over TLS too", () -> window.shows("#connectionStatus", "Connected"::equals));
        assertFalse(window.hasNode("#insecureWarning"), "nothing to warn about");
        window.quit();

        AppWindow again = opened.reopen("tls again", window);
        again.waitUntil("signed straight in with the remembered certificate", () -> again.hasNode("#conversations")
                && again.shows("#connectionStatus", "Connected"::equals));
    }

    @Test
    void aCertificateForAnotherHostIsRefusedInWords(TestBackend backend) throws Exception {
        TestCertificates.Issued elsewhere = TestCertificates.selfSigned(dir, "elsewhere", List.of("chat.example.org"),
                Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(1));
        try (MessengerServer other = MessengerServer.start(backend.config(tls(elsewhere)))) {
            AppWindow window = opened.window("wrong host");
            window.type("#server", "https://localhost:" + other.port());
            window.click("#trustCertificate");
            window.type("#certificateFile", elsewhere.certificateFile().toString());
            window.type("#username", "someone");
            window.type("#password", PASSWORD);
            window.click("#submit");
            window.waitUntil("the wrong host is explained", () -> window.shows("#loginError",
                    "The certificate of localhost is for chat.example.org, not for localhost. Check the server address; someone may be in between."::equals));
        }
    }

    @Test
    void plaintextToAnotherComputerNeedsTheChoiceAndStaysFlaggedInTheSidebar(TestBackend backend) throws Exception {
        Optional<String> lanAddress = nonLoopbackAddress();
        assumeTrue(lanAddress.isPresent(), "this machine has a network address besides loopback");
        int port = TestBackend.freePort();
        try (MessengerServer open = MessengerServer.start(backend.config(Map.of("server.port", Integer.toString(port),
                "server.host", "0.0.0.0")))) {
            AppWindow window = opened.window("plaintext");
            window.click("#toggleMode");
            window.type("#server", lanAddress.get() + ":" + port);
            window.waitUntil("TLS is the default", () -> window.shows("#connectionSummary", text -> text.startsWith("Encrypted")));
            window.click("#unencrypted");
            window.waitUntil("the danger is spelled out", () -> window.shows("#connectionSummary",
                    text -> text.startsWith("Unencrypted: anyone on the network")));
            window.type("#username", "lan_" + UUID.randomUUID().toString().substring(0, 8));
            window.type("#displayName", "On the LAN");
            window.type("#password", PASSWORD);
            window.click("#submit");
            window.waitUntil("signed in", () -> window.hasNode("#conversations"));
            window.waitUntil("the sidebar warns", () -> window.shows("#insecureWarning",
                    text -> text.startsWith("Unencrypted connection to " + lanAddress.get())));
            window.screenshot("insecure-sidebar");
        }
    }

    private static String fingerprint() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(certificate.certificate().getEncoded());
        return java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    private static Map<String, String> tls(TestCertificates.Issued issued) {
        return Map.of("messenger.tls.certificate", issued.certificateFile().toString(),
                "messenger.tls.private-key", issued.privateKeyFile().toString());
    }

    private static Optional<String> nonLoopbackAddress() throws Exception {
        return NetworkInterface.networkInterfaces()
                .filter(network -> {
                    try {
                        return network.isUp() && !network.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .map(InetAddress::getHostAddress)
                .findFirst();
    }
}
