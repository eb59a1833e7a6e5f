package dev.messenger.platform.service;

import dev.messenger.platform.errors.ApiException;

import java.util.UUID;

/** Parsing ids that clients send. */
public final class Ids {
    private Ids() {
    }

    /** A UUID in its canonical 36-character form; INVALID_ARGUMENT naming the field otherwise. */
    public static UUID uuid(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid(field + " is required");
        }
        if (value.length() != 36) {
            throw ApiException.invalid(field + " must be a UUID");
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field + " must be a UUID");
        }
    }
}
