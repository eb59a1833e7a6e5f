package dev.messenger.platform.limits;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;

/**
 * Where a request comes from: the network address of the client (behind trusted proxies, the
 * address they report), for per-address limits and security logs.
 */
public record ClientAddress(InetAddress address) {
    /** For requests that did not come over the network (e.g. services called directly in tests). */
    public static final ClientAddress LOCAL = new ClientAddress(InetAddress.getLoopbackAddress());

    public ClientAddress {
        if (address == null) {
            throw new IllegalArgumentException("address is required");
        }
    }

    /**
     * The key per-address limits count under. An IPv4 address is one key; IPv6 hands every
     * subscriber a /64 (2^64 addresses), so its /64 prefix is one key: otherwise one home network
     * would have more fresh keys than any limiter could remember.
     */
    public String limitKey() {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
        }
        return address.getHostAddress();
    }

    @Override
    public String toString() {
        return address.getHostAddress();
    }
}
