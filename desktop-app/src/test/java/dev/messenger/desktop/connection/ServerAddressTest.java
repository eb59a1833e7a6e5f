package dev.messenger.desktop.connection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerAddressTest {
    @Test
    void anotherComputerIsReachedOverTlsOnPort443UnlessToldOtherwise() {
        assertEquals(new ServerAddress("chat.example.org", 443, true), ServerAddress.parse("chat.example.org", false));
        assertEquals(new ServerAddress("chat.example.org", 443, true), ServerAddress.parse(" https://Chat.Example.org/ ", false));
        assertEquals(new ServerAddress("chat.example.org", 8443, true), ServerAddress.parse("chat.example.org:8443", false));
        assertEquals(new ServerAddress("10.0.0.5", 443, true), ServerAddress.parse("10.0.0.5", false));
        assertEquals(new ServerAddress("[2001:db8::1]", 9000, true), ServerAddress.parse("[2001:db8::1]:9000", false));
        assertEquals("https://chat.example.org", ServerAddress.parse("chat.example.org", false).toString());
        assertEquals("https://chat.example.org:8443", ServerAddress.parse("chat.example.org:8443", false).toString());
    }

    @Test
    void thisComputerIsReachedInPlaintextOnTheServersDefaultPortUnlessHttpsIsTyped() {
        for (String loopback : new String[] {"localhost", "127.0.0.1", "127.8.9.10", "[::1]", "app.localhost"}) {
            ServerAddress address = ServerAddress.parse(loopback, false);
            assertFalse(address.tls(), loopback);
            assertTrue(address.loopback(), loopback);
            assertFalse(address.insecure(), loopback);
            assertEquals(8080, address.port(), loopback);
        }
        assertEquals("localhost:8080", ServerAddress.parse("localhost:8080", false).toString(), "the form older versions saved");
        assertEquals(new ServerAddress("localhost", 8443, true), ServerAddress.parse("https://localhost:8443", false));
    }

    @Test
    void plaintextToAnotherComputerNeedsTheExplicitChoice() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ServerAddress.parse("http://chat.example.org", false));
        assertTrue(refused.getMessage().contains("unencrypted"), refused.getMessage());
        ServerAddress chosen = ServerAddress.parse("chat.example.org:8080", true);
        assertFalse(chosen.tls());
        assertTrue(chosen.insecure());
        assertEquals("http://chat.example.org:8080", chosen.toString());
        assertEquals(chosen, ServerAddress.parse(chosen.toString(), true), "the remembered form reads back the same");
        assertTrue(ServerAddress.parse("https://chat.example.org", true).tls(), "https:// wins over the choice");
    }

    @Test
    void whatIsNotAnAddressIsRefusedInWords() {
        for (String bad : new String[] {"", "no spaces", "ftp://chat.example.org", "chat.example.org/path", "host:0",
                "host:70000", "-bad.example", "[zz::1]", "300.1.1.1", "user@host", "a..b"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> ServerAddress.parse(bad, false), bad);
            assertFalse(refused.getMessage().isBlank(), bad);
        }
    }
}
