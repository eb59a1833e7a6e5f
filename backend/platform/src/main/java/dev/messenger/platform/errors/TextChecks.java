package dev.messenger.platform.errors;

/** Checks every user-supplied string needs before it can be stored as PostgreSQL text. */
public final class TextChecks {
    private TextChecks() {
    }

    /**
     * Rejects NUL (PostgreSQL text cannot hold it) and unpaired UTF-16 surrogates (JSON escapes
     * like "\ud800" can produce them; they have no UTF-8 form and would be stored mangled).
     */
    public static String requireStorable(String value, String field) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                throw ApiException.invalid(field + " must not contain NUL characters");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw ApiException.invalid(field + " is not valid Unicode (unpaired surrogate)");
            }
            if (Character.isLowSurrogate(c)) {
                throw ApiException.invalid(field + " is not valid Unicode (unpaired surrogate)");
            }
        }
        return value;
    }
}
