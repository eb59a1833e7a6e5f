package dev.messenger.desktop.connection;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the app connects and whether over TLS. Typed as {@code host[:port]},
 * {@code https://host[:port]} or {@code http://host[:port]}: TLS unless the host is this computer
 * (a server started with the README's command listens there in plaintext), or the user chose an
 * unencrypted connection on purpose ({@code http://}, or the sign-in screen's choice). Without a
 * port: 443 with TLS, 8080 (the server's own default) without.
 *
 * <p>{@link #toString()} is the canonical form the app remembers and shows: a plaintext loopback
 * address keeps the short {@code host:port} older versions saved.
 */
public record ServerAddress(String host, int port, boolean tls) {
    private static final Pattern FORM = Pattern.compile(
            "(?:(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?<host>\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(?::(?<port>\\d{1,5}))?/?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");

    public ServerAddress {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("The port must be between 1 and 65535");
        }
    }

    /**
     * Reads what the user typed. {@code unencrypted} is the sign-in screen's explicit choice of a
     * plaintext connection, needed (besides {@code http://}) for any host but this computer.
     *
     * @throws IllegalArgumentException with a sentence for the user when the text is not an address
     */
    public static ServerAddress parse(String text, boolean unencrypted) {
        Matcher form = FORM.matcher(text.strip());
        if (!form.matches()) {
            throw new IllegalArgumentException("Enter the server as host:port or https://host, e.g. chat.example.org");
        }
        String scheme = form.group("scheme") == null ? "" : form.group("scheme").toLowerCase(Locale.ROOT);
        if (!scheme.isEmpty() && !scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("Only https:// (or http:// for an unencrypted connection) can be used");
        }
        String host = form.group("host");
        boolean literal = host.startsWith("[") || host.matches("[0-9.]+");
        if (literal ? literal(host) == null : !NAME.matcher(host).matches() || host.length() > 253) {
            throw new IllegalArgumentException("\"" + host + "\" is not a host name or IP address");
        }
        boolean loopback = isLoopback(host);
        boolean tls = switch (scheme) {
            case "https" -> true;
            case "http" -> false;
            default -> !loopback && !unencrypted;
        };
        if (!tls && !loopback && !unencrypted) {
            throw new IllegalArgumentException("An unencrypted connection to another computer needs the choice below");
        }
        int port = form.group("port") != null ? Integer.parseInt(form.group("port")) : tls ? 443 : 8080;
        return new ServerAddress(host.toLowerCase(Locale.ROOT), port, tls);
    }

    /** This computer: {@code localhost} or a loopback IP literal (no name look-up). */
    public boolean loopback() {
        return isLoopback(host);
    }

    /** Plaintext to another computer: passwords, tokens and messages cross the network readable. */
    public boolean insecure() {
        return !tls && !loopback();
    }

    /** {@code host:port} as gRPC takes it. */
    public String target() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        if (tls) {
            return "https://" + host + (port == 443 ? "" : ":" + port);
        }
        return loopback() ? target() : "http://" + target();
    }

    private static boolean isLoopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.equals("localhost.") || name.endsWith(".localhost")) {
            return true;
        }
        InetAddress address = literal(name);
        return address != null && address.isLoopbackAddress();
    }

    /** The address an IP literal stands for (no name look-up), or null when the text is not one. */
    private static InetAddress literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ipv4 = IPV4.matcher(bare).matches()
                && Arrays.stream(bare.split("\\.")).allMatch(part -> Integer.parseInt(part) <= 255);
        // With a colon the JDK reads an IPv6 literal and never asks DNS; without one it might.
        if (!ipv4 && !(bare.contains(":") && bare.matches("[0-9A-Fa-f:.]+"))) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
