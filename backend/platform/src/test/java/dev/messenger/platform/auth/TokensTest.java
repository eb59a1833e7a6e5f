package dev.messenger.platform.auth;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokensTest {
    private final Tokens tokens = new Tokens(new SecureRandom());

    @Test
    void tokensCarry256RandomBitsAndNeverRepeat() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 1000; i++) {
            String token = tokens.newToken();
            assertTrue(token.startsWith("mt_"));
            assertEquals(3 + 43, token.length(), "32 bytes in unpadded base64url");
            assertTrue(seen.add(token));
        }
    }

    @Test
    void hashIsStableAndDiffersPerToken() {
        String a = tokens.newToken();
        String b = tokens.newToken();
        assertArrayEquals(Tokens.hash(a), Tokens.hash(a));
        assertEquals(32, Tokens.hash(a).length);
        assertFalse(java.util.Arrays.equals(Tokens.hash(a), Tokens.hash(b)));
    }

    @Test
    void readsBearerHeadersCaseInsensitively() {
        String token = tokens.newToken();
        assertEquals(Optional.of(token), Tokens.fromAuthorizationHeader("Bearer " + token));
        assertEquals(Optional.of(token), Tokens.fromAuthorizationHeader("bearer " + token));
    }

    @Test
    void rejectsAnythingElse() {
        String token = tokens.newToken();
        assertTrue(Tokens.fromAuthorizationHeader(null).isEmpty());
        assertTrue(Tokens.fromAuthorizationHeader("").isEmpty());
        assertTrue(Tokens.fromAuthorizationHeader(token).isEmpty(), "no scheme");
        assertTrue(Tokens.fromAuthorizationHeader("Basic " + token).isEmpty());
        assertTrue(Tokens.fromAuthorizationHeader("Bearer " + token + "x").isEmpty(), "too long");
        assertTrue(Tokens.fromAuthorizationHeader("Bearer mt_" + "!".repeat(43)).isEmpty(), "bad characters");
        assertTrue(Tokens.fromAuthorizationHeader("Bearer " + token + " extra").isEmpty());
        assertTrue(Tokens.fromAuthorizationHeader("Bearer " + "a".repeat(1000)).isEmpty());
    }
}
