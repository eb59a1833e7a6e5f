package dev.messenger.users;

import dev.messenger.platform.errors.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UserRulesTest {
    @Test
    void usernamesAreThreeToThirtyTwoSafeCharacters() {
        assertEquals("abc", UserRules.username("abc"));
        assertEquals("A.b-c_9", UserRules.username("A.b-c_9"));
        assertEquals("x".repeat(32), UserRules.username("x".repeat(32)));
        for (String bad : new String[]{null, "", "ab", "x".repeat(33), "with space", "ünï", "a;b", "'; DROP TABLE users; --"}) {
            assertThrows(ApiException.class, () -> UserRules.username(bad), String.valueOf(bad));
        }
    }

    @Test
    void usernamesCompareCaseInsensitively() {
        assertEquals(UserRules.key("Alice"), UserRules.key("aLICE"));
    }

    @Test
    void displayNameDefaultsToUsernameAndIsTrimmed() {
        assertEquals("bob", UserRules.displayName("", "bob"));
        assertEquals("bob", UserRules.displayName(null, "bob"));
        assertEquals("Bob B", UserRules.displayName("  Bob B  ", "bob"));
        assertEquals("😀".repeat(64), UserRules.displayName("😀".repeat(64), "bob"), "64 code points, 128 chars");
        assertThrows(ApiException.class, () -> UserRules.displayName("x".repeat(65), "bob"));
        assertThrows(ApiException.class, () -> UserRules.displayName("bell\u0007", "bob"));
    }

    @Test
    void passwordsHaveALengthRange() {
        assertEquals("12345678", UserRules.password("12345678"));
        assertThrows(ApiException.class, () -> UserRules.password("1234567"));
        assertThrows(ApiException.class, () -> UserRules.password("x".repeat(257)));
        assertThrows(ApiException.class, () -> UserRules.password(null));
        assertThrows(ApiException.class, () -> UserRules.password("abcdefgh\0"));
    }
}
