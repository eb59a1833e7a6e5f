package dev.messenger.users;

import dev.messenger.api.v1.ChangePasswordRequest;
import dev.messenger.api.v1.ChangePasswordResponse;
import dev.messenger.api.v1.DeleteAccountRequest;
import dev.messenger.api.v1.GetUserResponse;
import dev.messenger.api.v1.LoginRequest;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.RegisterResponse;
import dev.messenger.api.v1.RevokeOtherSessionsResponse;
import dev.messenger.api.v1.UpdateProfileRequest;
import dev.messenger.api.v1.UpdateProfileResponse;
import dev.messenger.platform.rest.Rest;
import dev.messenger.platform.rest.RestAuth;
import dev.messenger.platform.service.Ids;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** The REST front door of {@link UserService}; see openapi.yaml. */
final class UsersRestService implements HttpService {
    private final UserService users;
    private final RestAuth auth;

    UsersRestService(UserService users, RestAuth auth) {
        this.users = users;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/users/register", this::register)
                .post("/auth/login", this::login)
                .post("/auth/logout", this::logout)
                .get("/users/me", this::me)
                .patch("/users/me", this::updateProfile)
                .get("/users/{id}", this::getUser)
                .get("/users", this::search)
                .get("/auth/sessions", this::sessions)
                .post("/auth/sessions/revoke-others", this::revokeOthers)
                .delete("/auth/sessions/{id}", this::revokeSession)
                .post("/users/me/password", this::changePassword)
                .post("/users/me/delete", this::deleteAccount);
    }

    private void register(ServerRequest req, ServerResponse res) {
        RegisterRequest request = Rest.body(req, RegisterRequest.newBuilder(), true).build();
        UserAccount user = users.register(auth.clientAddress(req), request.getUsername(), request.getDisplayName(), request.getPassword());
        Rest.send(res, Status.CREATED_201, RegisterResponse.newBuilder().setUser(UserProtos.user(user)).build());
    }

    private void login(ServerRequest req, ServerResponse res) {
        LoginRequest request = Rest.body(req, LoginRequest.newBuilder(), true).build();
        Rest.send(res, Status.OK_200, UsersGrpcService.loginResponse(users.login(auth.clientAddress(req), request.getUsername(), request.getPassword(),
                request.getDeviceName())));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        users.logout(auth.caller(req), auth.clientAddress(req));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void sessions(ServerRequest req, ServerResponse res) {
        var caller = auth.caller(req);
        Rest.send(res, Status.OK_200, UserProtos.sessions(users.sessions(caller), caller));
    }

    private void revokeSession(ServerRequest req, ServerResponse res) {
        var caller = auth.caller(req);
        users.revokeSession(caller, auth.clientAddress(req), Ids.uuid(req.path().pathParameters().get("id"), "id"));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void revokeOthers(ServerRequest req, ServerResponse res) {
        var caller = auth.caller(req);
        Rest.send(res, Status.OK_200, RevokeOtherSessionsResponse.newBuilder()
                .setRevoked(users.revokeOtherSessions(caller, auth.clientAddress(req))).build());
    }

    private void changePassword(ServerRequest req, ServerResponse res) {
        var caller = auth.caller(req);
        ChangePasswordRequest request = Rest.body(req, ChangePasswordRequest.newBuilder(), true).build();
        Rest.send(res, Status.OK_200, ChangePasswordResponse.newBuilder()
                .setRevoked(users.changePassword(caller, auth.clientAddress(req), request.getCurrentPassword(),
                        request.getNewPassword()))
                .build());
    }

    private void deleteAccount(ServerRequest req, ServerResponse res) {
        var caller = auth.caller(req);
        DeleteAccountRequest request = Rest.body(req, DeleteAccountRequest.newBuilder(), true).build();
        users.deleteAccount(caller, auth.clientAddress(req), request.getPassword());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void updateProfile(ServerRequest req, ServerResponse res) {
        var caller = auth.caller(req);
        UpdateProfileRequest request = Rest.body(req, UpdateProfileRequest.newBuilder(), true).build();
        Rest.send(res, Status.OK_200, UpdateProfileResponse.newBuilder()
                .setUser(UserProtos.user(users.updateProfile(caller, request.getDisplayName()))).build());
    }

    private void me(ServerRequest req, ServerResponse res) {
        UserAccount user = users.get(auth.caller(req).userId());
        Rest.send(res, Status.OK_200, GetUserResponse.newBuilder().setUser(UserProtos.user(user)).build());
    }

    private void getUser(ServerRequest req, ServerResponse res) {
        auth.caller(req);
        UserAccount user = users.get(Ids.uuid(req.path().pathParameters().get("id"), "id"));
        Rest.send(res, Status.OK_200, GetUserResponse.newBuilder().setUser(UserProtos.user(user)).build());
    }

    private void search(ServerRequest req, ServerResponse res) {
        var page = users.search(auth.caller(req), auth.clientAddress(req), Rest.query(req, "q").orElse(""), Rest.queryLong(req, "limit", 0),
                Rest.query(req, "pageToken").orElse(""));
        Rest.send(res, Status.OK_200, UsersGrpcService.searchResponse(page));
    }
}
