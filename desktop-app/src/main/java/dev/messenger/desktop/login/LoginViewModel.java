package dev.messenger.desktop.login;

import dev.messenger.api.v1.LoginResponse;
import dev.messenger.desktop.connection.ApiErrors;
import dev.messenger.desktop.connection.MessengerApi;
import dev.messenger.desktop.session.Session;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The connect screen: server address, then sign in or create an account. */
public final class LoginViewModel {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
    private static final Pattern SERVER = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}");

    private final StringProperty server = new SimpleStringProperty("");
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty displayName = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final BooleanProperty registering = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty error = new SimpleStringProperty("");
    private final StringBinding serverProblem;
    private final StringBinding usernameProblem;
    private final StringBinding passwordProblem;
    private final BooleanBinding canSubmit;

    private final Function<String, MessengerApi> connect;
    private final Executor io;
    private final Executor ui;
    private final BiConsumer<MessengerApi, Session> onSignedIn;

    /**
     * @param connect    opens a connection to a server address
     * @param onSignedIn told (on the UI thread) once a sign-in succeeded; takes over the connection
     */
    public LoginViewModel(String initialServer, Function<String, MessengerApi> connect, Executor io, Executor ui,
                          BiConsumer<MessengerApi, Session> onSignedIn) {
        this.connect = connect;
        this.io = io;
        this.ui = ui;
        this.onSignedIn = onSignedIn;
        server.set(initialServer);
        serverProblem = Bindings.createStringBinding(() -> SERVER.matcher(server.get().strip()).matches()
                ? "" : "Enter the server as host:port, e.g. localhost:8080", server);
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
                        && !username.get().isEmpty() && !password.get().isEmpty(),
                busy, serverProblem, usernameProblem, passwordProblem, username, password);
        registering.addListener((obs, was, now) -> error.set(""));
    }

    public StringProperty server() {
        return server;
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

    /** Signs in (creating the account first when registering); all network work off the UI thread. */
    public void submit() {
        if (!canSubmit.get()) {
            return;
        }
        busy.set(true);
        error.set("");
        String address = server.get().strip();
        String name = username.get();
        String secret = password.get();
        String shownName = displayName.get().strip();
        boolean create = registering.get();
        io.execute(() -> {
            MessengerApi api = connect.apply(address);
            try {
                if (create) {
                    api.register(name, shownName, secret);
                }
                LoginResponse response = api.login(name, secret);
                Session session = new Session(address, response.getToken(), response.getUser());
                ui.execute(() -> {
                    busy.set(false);
                    password.set("");
                    onSignedIn.accept(api, session);
                });
            } catch (RuntimeException e) {
                api.close();
                String message = ApiErrors.describe(e, address);
                ui.execute(() -> {
                    busy.set(false);
                    error.set(message);
                });
            }
        });
    }
}
