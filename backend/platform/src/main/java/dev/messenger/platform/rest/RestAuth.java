package dev.messenger.platform.rest;

import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.auth.Sessions;
import dev.messenger.platform.limits.ClientAddress;
import dev.messenger.platform.limits.TrustedProxies;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/** Who is calling a REST route: the caller behind its {@code Authorization: Bearer} header, and its client address. */
public final class RestAuth {
    private final Sessions sessions;
    private final TrustedProxies proxies;

    public RestAuth(Sessions sessions, TrustedProxies proxies) {
        this.sessions = sessions;
        this.proxies = proxies;
    }

    public Caller caller(ServerRequest request) {
        return sessions.authenticate(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null), clientAddress(request));
    }

    public ClientAddress clientAddress(ServerRequest request) {
        return proxies.clientOf(request.remotePeer().address(), request.headers().values(HeaderNames.X_FORWARDED_FOR));
    }
}
