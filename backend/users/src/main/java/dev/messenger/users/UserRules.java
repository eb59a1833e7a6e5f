package dev.messenger.users;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.TextChecks;

import java.util.Locale;
import java.util.regex.Pattern;

/** What a username, display name and password may be. Checked before anything is stored. */
final class UserRules {
    static final int PASSWORD_MIN = 8;
    static final int PASSWORD_MAX = 256;
    static final int DISPLAY_NAME_MAX = 64;
    static final int DEVICE_NAME_MAX = 64;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
    private static final Pattern USERNAME_PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private UserRules() {
    }

    static String username(String username) {
        if (username == null || username.isEmpty()) {
            throw ApiException.invalid("username is required");
        }
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.invalid("username must be 3-32 characters: letters A-Z, digits, '_', '.' or '-'");
        }
        return username;
    }

    /** The form usernames are compared and searched in. */
    /** Whether a user could have this name; a name no user can have needs no look-up to be refused. */
    static boolean couldBeUsername(String username) {
        return USERNAME.matcher(username).matches();
    }

    static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    static String searchPrefix(String query) {
        if (query == null || query.isEmpty()) {
            throw ApiException.invalid("query is required");
        }
        if (!USERNAME_PREFIX.matcher(query).matches()) {
            throw ApiException.invalid("query must be 1-32 characters: letters A-Z, digits, '_', '.' or '-'");
        }
        return key(query);
    }

    static String displayName(String displayName, String username) {
        if (displayName == null || displayName.isBlank()) {
            return username;
        }
        String trimmed = TextChecks.requireStorable(displayName, "display name").strip();
        if (trimmed.codePointCount(0, trimmed.length()) > DISPLAY_NAME_MAX) {
            throw ApiException.invalid("display name must be at most " + DISPLAY_NAME_MAX + " characters");
        }
        if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("display name must not contain control characters");
        }
        return trimmed;
    }

    /** What a client calls the device it signs in from; optional (empty), shown in the devices list. */
    static String deviceName(String deviceName) {
        if (deviceName == null || deviceName.isBlank()) {
            return "";
        }
        String trimmed = TextChecks.requireStorable(deviceName, "deviceName").strip();
        if (trimmed.codePointCount(0, trimmed.length()) > DEVICE_NAME_MAX) {
            throw ApiException.invalid("deviceName must be at most " + DEVICE_NAME_MAX + " characters");
        }
        if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("deviceName must not contain control characters");
        }
        return trimmed;
    }

    static String password(String password) {
        if (password == null || password.isEmpty()) {
            throw ApiException.invalid("password is required");
        }
        TextChecks.requireStorable(password, "password");
        int length = password.codePointCount(0, password.length());
        if (length < PASSWORD_MIN) {
            throw ApiException.invalid("password must be at least " + PASSWORD_MIN + " characters");
        }
        if (length > PASSWORD_MAX) {
            throw ApiException.invalid("password must be at most " + PASSWORD_MAX + " characters");
        }
        return password;
    }
}
