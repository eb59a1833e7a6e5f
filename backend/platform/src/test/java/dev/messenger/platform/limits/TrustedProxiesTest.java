package dev.messenger.platform.limits;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    private final TrustedProxies gateway = TrustedProxies.of(List.of("172.16.0.0/12", "10.0.0.1", "fd00::/8"));

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertEquals("203.0.113.5", TrustedProxies.none().resolve(ip("203.0.113.5"), Optional.of("198.51.100.1")).toString());
    }

    @Test
    void aPeerThatIsNotATrustedProxyCannotChooseItsAddress() {
        assertEquals("203.0.113.5", gateway.resolve(ip("203.0.113.5"), Optional.of("198.51.100.1")).toString());
    }

    @Test
    void behindATrustedProxyTheNearestUntrustedHopIsTheClient() {
        assertEquals("198.51.100.1", gateway.resolve(ip("172.18.0.3"), Optional.of("198.51.100.1")).toString());
        // A client may send its own X-Forwarded-For; the proxy appends the real peer, which wins.
        assertEquals("198.51.100.1", gateway.resolve(ip("172.18.0.3"), Optional.of("1.2.3.4, 198.51.100.1")).toString());
        // Chains of trusted proxies are walked through.
        assertEquals("198.51.100.1", gateway.resolve(ip("172.18.0.3"), Optional.of("198.51.100.1, 10.0.0.1")).toString());
        assertEquals("2001:db8:0:0:0:0:0:7", gateway.resolve(ip("fd12::1"), Optional.of("[2001:db8::7]")).toString());
    }

    @Test
    void garbageInTheHeaderStopsTheWalkAtTheLastTrustedHop() {
        assertEquals("172.18.0.3", gateway.resolve(ip("172.18.0.3"), Optional.of("not-an-address")).toString());
        assertEquals("10.0.0.1", gateway.resolve(ip("172.18.0.3"), Optional.of("999.1.1.1, 10.0.0.1")).toString());
        assertEquals("172.18.0.3", gateway.resolve(ip("172.18.0.3"), Optional.of("")).toString());
        assertEquals("198.51.100.1", gateway.resolve(ip("172.18.0.3"), Optional.of("x".repeat(10_000) + ",198.51.100.1")).toString());
    }

    @Test
    void everyForwardedForValueOfARequestCountsAndAPeerWithoutAnAddressIsLocal() {
        var peer = new java.net.InetSocketAddress(ip("172.18.0.3"), 40000);
        assertEquals("198.51.100.1", gateway.clientOf(peer, List.of("1.2.3.4", "198.51.100.1")).toString());
        assertEquals("172.18.0.3", gateway.clientOf(peer, List.of()).toString());
        assertEquals("172.18.0.3", gateway.clientOf(peer, null).toString());
        assertEquals(ClientAddress.LOCAL, gateway.clientOf(new java.net.SocketAddress() {
        }, List.of("198.51.100.1")));
    }

    @Test
    void hostNamesAndMalformedRangesAreRefusedWithoutAnyLookUp() {
        for (String bad : List.of("gateway", "localhost", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "1.2.3", "256.1.1.1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of(bad)), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        assertEquals(Optional.empty(), TrustedProxies.literal("example.com"));
    }

    @Test
    void rangesMatchOnTheirPrefixOnly() {
        TrustedProxies odd = TrustedProxies.parse(" 192.168.1.128/25 ,");
        assertTrue(odd.isTrusted(ip("192.168.1.200")));
        assertEquals(false, odd.isTrusted(ip("192.168.1.127")));
        assertEquals(false, odd.isTrusted(ip("::ffff:c0a8:0101")), "an IPv4-mapped 192.168.1.1 is outside");
        assertTrue(TrustedProxies.parse("0.0.0.0/0").isTrusted(ip("8.8.8.8")));
    }

    @Test
    void ipv6ClientsAreLimitedPerSlash64() {
        assertEquals(new ClientAddress(ip("2001:db8:1:2::1")).limitKey(), new ClientAddress(ip("2001:db8:1:2:abcd::")).limitKey());
        assertEquals("203.0.113.5", new ClientAddress(ip("203.0.113.5")).limitKey());
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
