package dev.messenger.platform.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Opaque bearer tokens: 256 random bits, base64url, with a prefix that secret scanners can spot.
 * Only a SHA-256 hash is stored: the token has full entropy, so a slow hash would add nothing.
 */
public final class Tokens {
    static final String PREFIX = "mt_";
    private static final int RANDOM_BYTES = 32;
    private static final Pattern WELL_FORMED = Pattern.compile("mt_[A-Za-z0-9_-]{43}");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +(\\S+) *");

    private final SecureRandom random;

    public Tokens(SecureRandom random) {
        this.random = random;
    }

    public String newToken() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The token in an {@code Authorization: Bearer <token>} header value, if it is one of ours in shape. */
    public static Optional<String> fromAuthorizationHeader(String headerValue) {
        if (headerValue == null || headerValue.length() > 256) {
            return Optional.empty();
        }
        var matcher = BEARER.matcher(headerValue);
        if (!matcher.matches() || !WELL_FORMED.matcher(matcher.group(1)).matches()) {
            return Optional.empty();
        }
        return Optional.of(matcher.group(1));
    }
}
