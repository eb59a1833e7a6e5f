package dev.messenger.platform.errors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextChecksTest {
    @Test
    void acceptsAnyWellFormedUnicode() {
        String text = "héllo 👋 мир \t\n";
        assertEquals(text, TextChecks.requireStorable(text, "text"));
    }

    @Test
    void rejectsNulAndUnpairedSurrogates() {
        for (String bad : new String[]{"a\0b", "\ud800", "x\udc00y", "\ud83d"}) {
            ApiException e = assertThrows(ApiException.class, () -> TextChecks.requireStorable(bad, "text"));
            assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        }
    }
}
