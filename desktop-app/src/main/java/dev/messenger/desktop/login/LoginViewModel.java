package dev.messenger.desktop.login;

import dev.messenger.api.v1.LoginResponse;
import dev.messenger.desktop.connection.ApiErrors;
import dev.messenger.desktop.connection.MessengerApi;
import dev.messenger.desktop.connection.ServerAddress;
import dev.messenger.desktop.connection.ServerEndpoint;
import dev.messenger.desktop.session.Session;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.Property;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The connect screen: server address, then sign in or create an account. */
public final class LoginViewModel {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");

    private final StringProperty server = new SimpleStringProperty("");
    private final BooleanProperty unencrypted = new SimpleBooleanProperty(false);
    private final StringProperty certificateFile = new SimpleStringProperty("");
    private final BooleanProperty certificateShown = new SimpleBooleanProperty(false);
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty displayName = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final BooleanProperty registering = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty error = new SimpleStringProperty("");
    private final StringBinding serverProblem;
    private final BooleanBinding unencryptedOffered;
    /** The server as typed, with the unencrypted choice applied; empty while it is not an address. */
    private final ObjectBinding<Optional<ServerAddress>> chosen;
    private final StringBinding connectionSummary;
    private final BooleanBinding encrypted;
    private final StringBinding certificateProblem;
    private final StringBinding usernameProblem;
    private final StringBinding passwordProblem;
    private final BooleanBinding canSubmit;

    private final Function<ServerEndpoint, MessengerApi> connect;
    private final Function<ServerAddress, ServerEndpoint> remembered;
    private final Executor io;
    private final Executor ui;
    private final BiConsumer<MessengerApi, Session> onSignedIn;

    /**
     * @param connect    opens a connection to a server
     * @param remembered the server with what was trusted for it at an earlier sign-in
     * @param onSignedIn told (on the UI thread) once a sign-in succeeded; takes over the connection
     */
    public LoginViewModel(String initialServer, Function<ServerEndpoint, MessengerApi> connect,
                          Function<ServerAddress, ServerEndpoint> remembered, Executor io, Executor ui,
                          BiConsumer<MessengerApi, Session> onSignedIn) {
        this.connect = connect;
        this.remembered = remembered;
        this.io = io;
        this.ui = ui;
        this.onSignedIn = onSignedIn;
        serverProblem = Bindings.createStringBinding(() -> {
            try {
                ServerAddress.parse(server.get(), unencrypted.get());
                return "";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }, server, unencrypted);
        unencryptedOffered = Bindings.createBooleanBinding(() -> address(true)
                .filter(address -> !address.loopback() && !server.get().strip().toLowerCase(Locale.ROOT).startsWith("https://"))
                .isPresent(), server);
        chosen = Bindings.createObjectBinding(() -> address(unencrypted.get()), server, unencrypted);
        connectionSummary = Bindings.createStringBinding(() -> chosen.get().map(address -> {
            if (address.tls()) {
                return "Encrypted (TLS) to " + address;
            }
            return address.insecure()
                    ? "Unencrypted: anyone on the network can read your password and messages"
                    : "Unencrypted, to this computer only";
        }).orElse(""), chosen);
        encrypted = Bindings.createBooleanBinding(() -> chosen.get().map(ServerAddress::tls).orElse(false), chosen);
        certificateProblem = Bindings.createStringBinding(() -> {
            String file = certificateFile.get().strip();
            return file.isEmpty() || Files.isReadable(Path.of(file)) ? "" : "There is no readable file there";
        }, certificateFile);
        server.addListener((obs, was, now) -> recallCertificate());
        server.set(initialServer);
        unencrypted.set(initialServer.strip().startsWith("http://"));
        usernameProblem = Bindings.createStringBinding(() -> {
            String name = username.get();
            if (name.isEmpty() || USERNAME.matcher(name).matches()) {
                return "";
            }
            return registering.get() ? "3-32 characters: letters, digits, '_', '.' or '-'" : "That is not a valid username";
        }, username, registering);
        passwordProblem = Bindings.createStringBinding(() -> registering.get()
                && !password.get().isEmpty() && password.get().codePointCount(0, password.get().length()) < 8
                ? "At least 8 characters" : "", password, registering);
        canSubmit = Bindings.createBooleanBinding(() -> !busy.get()
                        && serverProblem.get().isEmpty() && usernameProblem.get().isEmpty() && passwordProblem.get().isEmpty()
                        && certificateProblem.get().isEmpty() && !username.get().isEmpty() && !password.get().isEmpty(),
                busy, serverProblem, usernameProblem, passwordProblem, certificateProblem, username, password);
        // An error is about what was submitted: once any of it is edited, it no longer applies.
        ChangeListener<Object> edited = (obs, was, now) -> error.set("");
        for (Property<?> field : List.of(server, unencrypted, certificateFile, username, displayName, password, registering)) {
            field.addListener(edited);
        }
    }

    public StringProperty server() {
        return server;
    }

    /** The user's explicit choice of a plaintext connection to another computer. */
    public BooleanProperty unencrypted() {
        return unencrypted;
    }

    /** A PEM file with the certificate to trust for a self-hosted server (its own, or its CA's); may be blank. */
    public StringProperty certificateFile() {
        return certificateFile;
    }

    /** Whether the certificate file field is shown: asked for, remembered, or suggested by a refusal. */
    public BooleanProperty certificateShown() {
        return certificateShown;
    }

    /** True when the unencrypted choice applies: a host other than this computer, not typed as https://. */
    public BooleanBinding unencryptedOffered() {
        return unencryptedOffered;
    }

    /** True when the server typed will be reached over TLS. */
    public BooleanBinding encrypted() {
        return encrypted;
    }

    /** How the connection will be made, in words. */
    public StringBinding connectionSummary() {
        return connectionSummary;
    }

    public StringBinding certificateProblem() {
        return certificateProblem;
    }

    public StringProperty username() {
        return username;
    }

    public StringProperty displayName() {
        return displayName;
    }

    public StringProperty password() {
        return password;
    }

    public BooleanProperty registering() {
        return registering;
    }

    public BooleanProperty busy() {
        return busy;
    }

    public StringProperty error() {
        return error;
    }

    public StringBinding serverProblem() {
        return serverProblem;
    }

    public StringBinding usernameProblem() {
        return usernameProblem;
    }

    public StringBinding passwordProblem() {
        return passwordProblem;
    }

    public BooleanBinding canSubmit() {
        return canSubmit;
    }

    private Optional<ServerAddress> address(boolean plaintextChosen) {
        try {
            return Optional.of(ServerAddress.parse(server.get(), plaintextChosen));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Fills in the certificate file trusted at the last sign-in to the server now typed. */
    private void recallCertificate() {
        chosen.get().filter(ServerAddress::tls).map(remembered).flatMap(ServerEndpoint::trustedCertificate).ifPresent(file -> {
            certificateFile.set(file.toString());
            certificateShown.set(true);
        });
    }

    /** Signs in (creating the account first when registering); all network work off the UI thread. */
    public void submit() {
        if (!canSubmit.get()) {
            return;
        }
        busy.set(true);
        error.set("");
        ServerAddress address = ServerAddress.parse(server.get(), unencrypted.get());
        String file = certificateFile.get().strip();
        ServerEndpoint endpoint = new ServerEndpoint(address,
                address.tls() && !file.isEmpty() ? Optional.of(Path.of(file)) : Optional.empty());
        String name = username.get();
        String secret = password.get();
        String shownName = displayName.get().strip();
        boolean create = registering.get();
        io.execute(() -> {
            MessengerApi api = null;
            try {
                api = connect.apply(endpoint);
                if (create) {
                    api.register(name, shownName, secret);
                }
                LoginResponse response = api.login(name, secret);
                Session session = new Session(endpoint, response.getToken(), response.getUser());
                MessengerApi connected = api;
                ui.execute(() -> {
                    busy.set(false);
                    password.set("");
                    onSignedIn.accept(connected, session);
                });
            } catch (RuntimeException e) {
                if (api != null) {
                    api.close();
                }
                String message = ApiErrors.describe(e, address.toString());
                boolean fileMayHelp = ApiErrors.isUnknownIssuer(e);
                ui.execute(() -> {
                    busy.set(false);
                    error.set(message);
                    if (fileMayHelp) {
                        certificateShown.set(true);
                    }
                });
            }
        });
    }
}
