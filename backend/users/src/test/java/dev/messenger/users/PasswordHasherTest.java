package dev.messenger.users;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(new PasswordHasher.Cost(1024, 1, 1), new SecureRandom());

    @Test
    void verifiesTheRightPasswordOnly() {
        String hash = hasher.hash("correct horse");
        assertTrue(hash.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), hash);
        assertTrue(hasher.verify("correct horse", hash));
        assertFalse(hasher.verify("correct horsE", hash));
        assertFalse(hasher.verify("", hash));
    }

    @Test
    void saltsEveryHash() {
        assertNotEquals(hasher.hash("same password"), hasher.hash("same password"));
    }

    @Test
    void hashesKeepTheirOwnCostSoItCanBeRaisedLater() {
        String cheap = hasher.hash("pässwörd 🔑");
        var stronger = new PasswordHasher(new PasswordHasher.Cost(2048, 2, 1), new SecureRandom());
        assertTrue(stronger.verify("pässwörd 🔑", cheap));
    }

    @Test
    void rejectsMalformedStoredHashes() {
        assertFalse(hasher.verify("x", "plain"));
        assertFalse(hasher.verify("x", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA"));
        assertFalse(hasher.verifyAgainstDecoy("anything"));
    }
}
