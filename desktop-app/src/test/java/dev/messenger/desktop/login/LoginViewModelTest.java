package dev.messenger.desktop.login;

import dev.messenger.api.v1.LoginResponse;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.FakeApi;
import dev.messenger.desktop.connection.MessengerApi;
import dev.messenger.desktop.connection.ServerAddress;
import dev.messenger.desktop.connection.ServerEndpoint;
import dev.messenger.desktop.session.Session;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginViewModelTest {
    private final List<Session> signedIn = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private Status loginFailure;

    private final List<ServerEndpoint> connectedTo = new ArrayList<>();
    private final Map<ServerAddress, Path> rememberedCertificates = new HashMap<>();

    private MessengerApi api(ServerEndpoint endpoint) {
        connectedTo.add(endpoint);
        return new FakeApi(FakeApi.user("me", "me")) {
            @Override
            public String serverAddress() {
                return endpoint.toString();
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
        return new LoginViewModel("localhost:8080", this::api,
                address -> new ServerEndpoint(address, Optional.ofNullable(rememberedCertificates.get(address))),
                Runnable::run, Runnable::run, (api, session) -> signedIn.add(session));
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
        model.server().set("no spaces");
        assertFalse(model.canSubmit().get());
        assertTrue(model.serverProblem().get().startsWith("Enter the server as host:port"), model.serverProblem().get());
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
        assertEquals("localhost:8080", signedIn.getFirst().server().toString());
        assertFalse(signedIn.getFirst().server().address().tls(), "this computer's server is reached in plaintext");
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

    @Test
    void anErrorGoesAwayAsSoonAsAnyFieldIsEdited() {
        LoginViewModel model = model();
        model.username().set("alice");
        model.password().set("wrong password");
        loginFailure = Status.UNAUTHENTICATED.withDescription("Wrong username or password");
        for (Runnable edit : List.<Runnable>of(
                () -> model.password().set("correct horse"),
                () -> model.username().set("alice2"),
                () -> model.server().set("localhost:8081"),
                () -> model.unencrypted().set(!model.unencrypted().get()),
                () -> model.certificateFile().set("/nowhere.crt"),
                () -> model.displayName().set("Alice"))) {
            model.certificateFile().set("");
            model.submit();
            assertEquals("Wrong username or password", model.error().get());
            edit.run();
            assertEquals("", model.error().get());
        }
    }

    @Test
    void anotherComputerIsReachedOverTlsUnlessUnencryptedIsChosenOnPurpose() {
        LoginViewModel model = model();
        model.username().set("alice");
        model.password().set("correct horse");
        model.server().set("chat.example.org");
        assertTrue(model.encrypted().get());
        assertEquals("Encrypted (TLS) to https://chat.example.org", model.connectionSummary().get());
        assertTrue(model.unencryptedOffered().get());
        model.submit();
        assertEquals(new ServerAddress("chat.example.org", 443, true), connectedTo.getLast().address());

        model.server().set("http://chat.example.org:8080");
        assertFalse(model.canSubmit().get(), "plaintext to another computer needs the explicit choice");
        assertTrue(model.serverProblem().get().contains("choice"), model.serverProblem().get());
        model.unencrypted().set(true);
        model.password().set("correct horse");
        assertTrue(model.canSubmit().get());
        assertTrue(model.connectionSummary().get().startsWith("Unencrypted: anyone on the network"));
        model.submit();
        assertEquals(new ServerAddress("chat.example.org", 8080, false), connectedTo.getLast().address());
        assertEquals("http://chat.example.org:8080", signedIn.getLast().server().toString());

        model.server().set("https://chat.example.org");
        assertFalse(model.unencryptedOffered().get(), "https:// leaves nothing to choose");
        assertTrue(model.encrypted().get());
    }

    @Test
    void theCertificateTrustedForAServerIsRecalledAndSuggestedWhenTheIssuerIsUnknown() throws Exception {
        Path file = Files.createTempFile("server", ".crt");
        rememberedCertificates.put(new ServerAddress("home.example.net", 8443, true), file);
        LoginViewModel model = model();
        assertFalse(model.certificateShown().get());
        model.server().set("home.example.net:8443");
        assertEquals(file.toString(), model.certificateFile().get());
        assertTrue(model.certificateShown().get());
        model.username().set("alice");
        model.password().set("correct horse");
        model.submit();
        assertEquals(Optional.of(file), connectedTo.getLast().trustedCertificate());

        model.certificateFile().set(file + ".missing");
        assertEquals("There is no readable file there", model.certificateProblem().get());
        assertFalse(model.canSubmit().get());
        Files.delete(file);
    }
}
