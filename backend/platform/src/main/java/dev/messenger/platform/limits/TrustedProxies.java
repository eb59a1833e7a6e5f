package dev.messenger.platform.limits;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Works out a request's {@link ClientAddress}: the peer of the TCP connection, unless that peer is
 * one of the configured reverse proxies (the compose gateway), in which case the address the proxy
 * reports in {@code X-Forwarded-For}. Only configured proxies are believed: anyone else can write
 * that header, and a believed forgery would let a client pick the address its limits count under.
 */
public final class TrustedProxies {
    /** Forwarded-for entries read at most, from the right; beyond that a header is hostile. */
    private static final int MAX_HOPS = 16;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<AddressRange> ranges;

    private TrustedProxies(List<AddressRange> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /**
     * @param cidrs e.g. {@code 172.16.0.0/12}, {@code 10.1.2.3}, {@code fd00::/8}
     * @throws IllegalArgumentException for anything else (host names are refused: no DNS here)
     */
    public static TrustedProxies of(List<String> cidrs) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String cidr : cidrs) {
            ranges.add(AddressRange.parse(cidr.strip()));
        }
        return new TrustedProxies(ranges);
    }

    /** A comma-separated list, as an environment variable gives it; blank for none. */
    public static TrustedProxies parse(String commaSeparated) {
        return of(Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    /**
     * The client of a request, as both front doors (gRPC and REST) see it: {@link ClientAddress#LOCAL}
     * when the peer is no IP socket, otherwise as {@link #resolve} with every {@code X-Forwarded-For}
     * value of the request taken together.
     *
     * @param forwardedFor the header's values; null or empty when there is none
     */
    public ClientAddress clientOf(SocketAddress peer, Iterable<String> forwardedFor) {
        if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return ClientAddress.LOCAL;
        }
        String joined = forwardedFor == null ? "" : String.join(",", forwardedFor);
        return resolve(inet.getAddress(), joined.isEmpty() ? Optional.empty() : Optional.of(joined));
    }

    /**
     * @param peer         the address of the TCP peer
     * @param forwardedFor the {@code X-Forwarded-For} header, if any (comma-separated, the nearest
     *                     hop last)
     */
    public ClientAddress resolve(InetAddress peer, Optional<String> forwardedFor) {
        InetAddress client = peer;
        if (ranges.isEmpty() || forwardedFor.isEmpty() || !isTrusted(peer)) {
            return new ClientAddress(client);
        }
        // Walk from the nearest hop outwards while the hops are proxies we trust: the first one that
        // is not is the client as far as anyone trustworthy can tell.
        String[] hops = forwardedFor.get().split(",");
        for (int i = hops.length - 1, read = 0; i >= 0 && read < MAX_HOPS; i--, read++) {
            Optional<InetAddress> hop = literal(hops[i].strip());
            if (hop.isEmpty()) {
                break;
            }
            client = hop.get();
            if (!isTrusted(client)) {
                break;
            }
        }
        return new ClientAddress(client);
    }

    boolean isTrusted(InetAddress address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An IP address literal, parsed without any name look-up; empty for anything else. */
    static Optional<InetAddress> literal(String text) {
        String candidate = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean ipv4 = IPV4.matcher(candidate).matches();
        if (candidate.length() > 45 || !(ipv4 || IPV6.matcher(candidate).matches())) {
            return Optional.empty();
        }
        if (ipv4 && Arrays.stream(candidate.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)) {
            return Optional.empty();
        }
        try {
            // Only literals reach this point, and InetAddress parses a literal without DNS.
            return Optional.of(InetAddress.getByName(candidate));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private record AddressRange(byte[] network, int prefixLength) {
        static AddressRange parse(String cidr) {
            int slash = cidr.indexOf('/');
            String addressPart = slash < 0 ? cidr : cidr.substring(0, slash);
            InetAddress address = literal(addressPart).orElseThrow(() -> new IllegalArgumentException(
                    "Not an IP address or CIDR range: '" + cidr + "' (host names are not accepted)"));
            int bits = address.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Not a CIDR range: '" + cidr + "'");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("Prefix length out of range in '" + cidr + "'");
            }
            return new AddressRange(address.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xFF << (8 - remainingBits)) & 0xFF;
            return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
