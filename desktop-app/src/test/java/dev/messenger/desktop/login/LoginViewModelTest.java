package dev.messenger.desktop.login;

import dev.messenger.api.v1.LoginResponse;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.FakeApi;
import dev.messenger.desktop.connection.MessengerApi;
import dev.messenger.desktop.session.Session;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginViewModelTest {
    private final List<Session> signedIn = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private Status loginFailure;

    private MessengerApi api(String address) {
        return new FakeApi(FakeApi.user("me", "me")) {
            @Override
            public String serverAddress() {
                return address;
            }

            @Override
            public User register(String username, String displayName, String password) {
                calls.add("register " + username + " " + displayName);
                return FakeApi.user("u1", username);
            }

            @Override
            public LoginResponse login(String username, String password) {
                calls.add("login " + username);
                if (loginFailure != null) {
                    throw loginFailure.asRuntimeException();
                }
                return LoginResponse.newBuilder().setToken("t0k3n").setUser(FakeApi.user("u1", username)).build();
            }
        };
    }

    private LoginViewModel model() {
        return new LoginViewModel("localhost:8080", this::api, Runnable::run, Runnable::run,
                (api, session) -> signedIn.add(session));
    }

    @Test
    void validatesInlineBeforeAnythingIsSent() {
        LoginViewModel model = model();
        assertFalse(model.canSubmit().get(), "empty form");
        model.username().set("al");
        model.registering().set(true);
        assertEquals("3-32 characters: letters, digits, '_', '.' or '-'", model.usernameProblem().get());
        model.username().set("alice");
        model.password().set("short");
        assertEquals("At least 8 characters", model.passwordProblem().get());
        model.password().set("long enough");
        assertTrue(model.canSubmit().get());
        model.server().set("no port");
        assertFalse(model.canSubmit().get());
        assertTrue(model.serverProblem().get().startsWith("Enter the server as host:port"));
        model.submit();
        assertTrue(calls.isEmpty());
    }

    @Test
    void registeringCreatesTheAccountThenSignsIn() {
        LoginViewModel model = model();
        model.registering().set(true);
        model.username().set("alice");
        model.displayName().set("Alice A");
        model.password().set("correct horse");
        model.submit();
        assertEquals(List.of("register alice Alice A", "login alice"), calls);
        assertEquals("t0k3n", signedIn.getFirst().token());
        assertEquals("localhost:8080", signedIn.getFirst().serverAddress());
        assertEquals("", model.password().get(), "the password is not kept");
        assertFalse(model.busy().get());
    }

    @Test
    void serverErrorsAreShownInPlainWords() {
        LoginViewModel model = model();
        model.username().set("alice");
        model.password().set("wrong password");
        loginFailure = Status.UNAUTHENTICATED.withDescription("Wrong username or password");
        model.submit();
        assertEquals("Wrong username or password", model.error().get());
        assertTrue(signedIn.isEmpty());

        loginFailure = Status.UNAVAILABLE;
        model.submit();
        assertEquals("Can't reach the server at localhost:8080. Check the address and that the server is running.",
                model.error().get());
    }
}
