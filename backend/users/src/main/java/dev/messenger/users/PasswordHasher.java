package dev.messenger.users;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}),
 * so the cost can be raised later without invalidating stored hashes: each hash carries its own.
 */
public final class PasswordHasher {
    /** The cost parameters; OWASP's minimum for Argon2id is m=19 MiB, t=2, p=1. */
    public record Cost(int memoryKib, int iterations, int parallelism) {
        public static final Cost RECOMMENDED = new Cost(19 * 1024, 2, 1);
    }

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final Cost cost;
    private final SecureRandom random;
    /** Verified against when the user does not exist, so that the answer takes as long as for a real user. */
    private final String decoy;

    public PasswordHasher(Cost cost, SecureRandom random) {
        this.cost = cost;
        this.random = random;
        this.decoy = hash("decoy password that matches nothing");
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, cost, HASH_BYTES);
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    public boolean verify(String password, String encoded) {
        var matcher = PHC.matcher(encoded);
        if (!matcher.matches()) {
            return false;
        }
        Cost stored = new Cost(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)));
        byte[] salt = B64_DECODER.decode(matcher.group(4));
        byte[] expected = B64_DECODER.decode(matcher.group(5));
        byte[] actual = derive(password, salt, stored, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the same time as a real verification and always fails. */
    public boolean verifyAgainstDecoy(String password) {
        verify(password, decoy);
        return false;
    }

    private static byte[] derive(String password, byte[] salt, Cost cost, int length) {
        var parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build();
        var generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
