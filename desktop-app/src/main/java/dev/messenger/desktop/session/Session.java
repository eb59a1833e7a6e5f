package dev.messenger.desktop.session;

import dev.messenger.api.v1.User;
import dev.messenger.desktop.connection.ServerEndpoint;

/** A signed-in user on a server. */
public record Session(ServerEndpoint server, String token, User me) {
    @Override
    public String toString() {
        return "Session[" + me.getUsername() + "@" + server + "]";
    }
}
