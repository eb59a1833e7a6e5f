package dev.messenger.messages;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.TextChecks;

import java.util.regex.Pattern;

/** What a message and its paging parameters may be. Checked before anything touches the database. */
final class MessageRules {
    static final int MAX_TEXT_CODE_POINTS = 4096;
    static final int HISTORY_DEFAULT_LIMIT = 50;
    static final int CONVERSATIONS_DEFAULT_LIMIT = 50;
    static final int MEMBERS_DEFAULT_LIMIT = 50;
    static final int MAX_TITLE_CODE_POINTS = 64;
    private static final Pattern CLIENT_MESSAGE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private MessageRules() {
    }

    static String text(String text) {
        if (text == null || text.isEmpty()) {
            throw ApiException.invalid("text is required");
        }
        // Counted before anything else so an oversized text costs no more work.
        if (text.length() > 2 * MAX_TEXT_CODE_POINTS || text.codePointCount(0, text.length()) > MAX_TEXT_CODE_POINTS) {
            throw ApiException.invalid("text must be at most " + MAX_TEXT_CODE_POINTS + " characters");
        }
        TextChecks.requireStorable(text, "text");
        if (text.codePoints().allMatch(MessageRules::isWhitespace)) {
            throw ApiException.invalid("text must not be only whitespace");
        }
        return text;
    }

    /**
     * Whitespace as the contract's pattern {@code \S} means it (ECMAScript): besides what
     * {@link String#isBlank()} counts, also no-break and other Unicode spaces and U+FEFF.
     */
    private static boolean isWhitespace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || codePoint == '\uFEFF';
    }

    /** A group's title, without surrounding whitespace. */
    static String groupTitle(String title) {
        String stripped = title == null ? "" : title.strip();
        if (stripped.length() > 2 * MAX_TITLE_CODE_POINTS || stripped.codePointCount(0, stripped.length()) > MAX_TITLE_CODE_POINTS) {
            throw ApiException.invalid("title must be at most " + MAX_TITLE_CODE_POINTS + " characters");
        }
        TextChecks.requireStorable(stripped, "title");
        if (stripped.codePoints().allMatch(MessageRules::isWhitespace)) {
            throw ApiException.invalid("title must not be empty");
        }
        return stripped;
    }

    /** The client's idempotency key, or null when it gave none. */
    static String clientMessageId(String clientMessageId) {
        if (clientMessageId == null || clientMessageId.isEmpty()) {
            return null;
        }
        if (!CLIENT_MESSAGE_ID.matcher(clientMessageId).matches()) {
            throw ApiException.invalid("clientMessageId must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'");
        }
        return clientMessageId;
    }

    /** A message-id cursor: 0 means "from the newest". */
    static long beforeId(long beforeId) {
        if (beforeId < 0) {
            throw ApiException.invalid("before must not be negative");
        }
        return beforeId == 0 ? Long.MAX_VALUE : beforeId;
    }

    static long upToMessageId(long upTo) {
        if (upTo < 0) {
            throw ApiException.invalid("upToMessageId must not be negative");
        }
        return upTo;
    }
}
