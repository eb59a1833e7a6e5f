package dev.messenger.notifications;

import dev.messenger.platform.rest.Rest;
import dev.messenger.platform.rest.RestAuth;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** The REST form of the feed: {@code GET /notifications?after=&limit=&wait=}; see openapi.yaml. */
final class NotificationsRestService implements HttpService {
    private final LongPoll longPoll;
    private final RestAuth auth;

    NotificationsRestService(LongPoll longPoll, RestAuth auth) {
        this.longPoll = longPoll;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/notifications", this::poll);
    }

    private void poll(ServerRequest req, ServerResponse res) {
        var caller = auth.caller(req);
        var page = longPoll.poll(caller, auth.clientAddress(req), Rest.queryLong(req, "after", 0), Rest.queryLong(req, "limit", 0),
                Rest.queryLong(req, "wait", 0));
        Rest.send(res, Status.OK_200, page);
    }
}
