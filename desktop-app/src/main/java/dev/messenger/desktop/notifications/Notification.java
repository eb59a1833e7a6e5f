package dev.messenger.desktop.notifications;

import dev.messenger.api.v1.User;

/** A message worth a popup: who sent it and the start of its text. */
public record Notification(User sender, String preview) {
    static final int PREVIEW_LENGTH = 120;

    public static Notification of(User sender, String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        int end = flat.offsetByCodePoints(0, Math.min(PREVIEW_LENGTH, flat.codePointCount(0, flat.length())));
        return new Notification(sender, end < flat.length() ? flat.substring(0, end) + "…" : flat);
    }
}
