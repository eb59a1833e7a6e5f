package dev.messenger.platform.rest;

import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.auth.Sessions;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/** The caller of a REST request, from its {@code Authorization: Bearer} header. */
public final class RestAuth {
    private final Sessions sessions;

    public RestAuth(Sessions sessions) {
        this.sessions = sessions;
    }

    public Caller caller(ServerRequest request) {
        return sessions.authenticate(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
    }
}
