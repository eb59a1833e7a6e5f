package dev.messenger.desktop.session;

import dev.messenger.api.v1.User;

/** A signed-in user on a server. */
public record Session(String serverAddress, String token, User me) {
    @Override
    public String toString() {
        return "Session[" + me.getUsername() + "@" + serverAddress + "]";
    }
}
