package dev.messenger.desktop;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.chat.Outbox;
import dev.messenger.desktop.connection.ApiErrors;
import dev.messenger.desktop.connection.MessengerApi;
import dev.messenger.desktop.connection.ServerConnection;
import dev.messenger.desktop.connection.ServerEndpoint;
import dev.messenger.desktop.connection.WakeDetector;
import dev.messenger.desktop.login.LoginView;
import dev.messenger.desktop.login.LoginViewModel;
import dev.messenger.desktop.main.MainView;
import dev.messenger.desktop.main.MainViewModel;
import dev.messenger.desktop.notifications.ChosenNotifier;
import dev.messenger.desktop.notifications.DesktopNotifications;
import dev.messenger.desktop.notifications.NotificationCenter;
import dev.messenger.desktop.session.Session;
import dev.messenger.desktop.session.SessionStore;
import dev.messenger.desktop.settings.AppPreferences;
import dev.messenger.desktop.session.WindowBounds;
import dev.messenger.desktop.text.EmojiIndex;
import dev.messenger.desktop.text.TextViews;
import dev.messenger.desktop.tray.TrayIcon;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.image.Image;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One app window and what it shows: the connect screen, or the signed-in main view. Owns the
 * executors: network work on virtual threads, UI changes through {@code Platform.runLater}. The
 * window opens where and as large as it was left.
 */
public final class DesktopApp {
    private static final String STYLESHEET = Objects.requireNonNull(
            DesktopApp.class.getResource("messenger.css")).toExternalForm();
    private static final String ICON = Objects.requireNonNull(
            DesktopApp.class.getResource("icon.png")).toExternalForm();

    private final Stage stage;
    private final SessionStore store;
    private final Function<ServerEndpoint, MessengerApi> connect;
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final Clock clock = Clock.systemDefaultZone();
    private final Scene scene;
    private final ChosenNotifier notifications;
    private final AppPreferences preferences;
    private final TextViews textViews;
    private MainViewModel main;
    private WakeDetector wakeDetector;
    private TrayIcon tray;

    /** @param openLink opens a web address from a message, in the browser */
    public DesktopApp(Stage stage, SessionStore store, Consumer<URI> openLink) {
        this(stage, store, ServerConnection::new, openLink);
    }

    DesktopApp(Stage stage, SessionStore store, Function<ServerEndpoint, MessengerApi> connect, Consumer<URI> openLink) {
        this.stage = stage;
        this.store = store;
        this.connect = connect;
        this.textViews = new TextViews(EmojiIndex.bundled(), openLink);
        this.preferences = new AppPreferences(store);
        applyTheme(preferences.darkTheme().get());
        preferences.darkTheme().addListener((obs, was, dark) -> applyTheme(dark));
        this.scene = new Scene(new VBox(), 1100, 720);
        scene.getStylesheets().add(STYLESHEET);
        this.notifications = new ChosenNotifier(new NotificationCenter(stage, this::openFromNotification, textViews));
        io.execute(() -> DesktopNotifications.onSessionBus(this::openFromNotification, Platform::runLater)
                .ifPresent(notifications::useDesktop));
        notifications.setEnabled(preferences.notifications().get());
        notifications.setSound(preferences.sound().get());
        preferences.notifications().addListener((obs, was, on) -> notifications.setEnabled(on));
        preferences.sound().addListener((obs, was, on) -> notifications.setSound(on));
        stage.setScene(scene);
        stage.setMinWidth(720);
        stage.setMinHeight(480);
        stage.setTitle("Messenger");
        stage.getIcons().add(new Image(ICON));
        stage.focusedProperty().addListener((obs, was, focused) -> {
            if (main != null) {
                main.windowFocusChanged(focused);
            }
        });
    }

    /** Signs in with the remembered session if there is one, otherwise shows the connect screen. */
    public void start() {
        store.savedSession().ifPresentOrElse(this::resume, () -> showLogin(""));
        store.windowBounds().ifPresent(this::place);
        stage.show();
    }

    /**
     * Puts the window back as it was left: at its place if that is still on a screen (otherwise
     * where a new window goes, centred), no larger than the screen it opens on.
     */
    private void place(WindowBounds saved) {
        List<Rectangle2D> screens = Screen.getScreens().stream().map(Screen::getVisualBounds).toList();
        Optional<Rectangle2D> screen = saved.screenIn(screens);
        Rectangle2D room = screen.orElse(Screen.getPrimary().getVisualBounds());
        stage.setWidth(Math.min(saved.width(), room.getWidth()));
        stage.setHeight(Math.min(saved.height(), room.getHeight()));
        screen.ifPresent(on -> {
            stage.setX(saved.x());
            stage.setY(saved.y());
        });
        stage.setMaximized(saved.maximized());
    }

    /**
     * A maximized (or minimized) window's bounds are not the ones to open with next time: those
     * stay as last remembered, with whether it was maximized.
     */
    private void rememberPlace() {
        WindowBounds now = new WindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), false);
        if (stage.isMaximized() || stage.isIconified() || stage.isFullScreen()) {
            now = store.windowBounds().orElse(now).withMaximized(stage.isMaximized());
        }
        store.rememberWindow(now);
    }

    private void resume(SessionStore.Saved saved) {
        show(signingIn(saved.server().toString()));
        io.execute(() -> {
            MessengerApi api = null;
            try {
                api = connect.apply(saved.server());
                api.useToken(saved.token());
                User me = api.me();
                MessengerApi connected = api;
                Platform.runLater(() -> showMain(connected, new Session(saved.server(), saved.token(), me)));
            } catch (RuntimeException e) {
                if (api != null) {
                    api.close();
                }
                String message = ApiErrors.isSignedOut(e) ? "Your session has ended; sign in again." : ApiErrors.describe(e, saved.server().toString());
                if (ApiErrors.isSignedOut(e)) {
                    store.forgetToken();
                }
                Platform.runLater(() -> showLogin(message));
            }
        });
    }

    private void showLogin(String message) {
        main = null;
        stopWakeDetector();
        stopTray();
        stage.titleProperty().unbind();
        stage.setTitle("Messenger");
        LoginViewModel login = new LoginViewModel(store.lastServer(), connect, store::endpoint, io, Platform::runLater, this::signedIn);
        login.error().set(message);
        show(new LoginView(login));
    }

    private void signedIn(MessengerApi api, Session session) {
        store.remember(session);
        showMain(api, session);
    }

    private void showMain(MessengerApi api, Session session) {
        main = new MainViewModel(session, api, new Outbox(store.outboxNode(session), api, io), io, Platform::runLater, clock,
                notifications::show, this::sessionEnded);
        main.windowFocusChanged(stage.isFocused());
        MainView view = new MainView(main, clock, textViews, preferences, this::signOut, this::accountDeleted);
        MainViewModel current = main;
        stage.titleProperty().bind(current.windowTitleProperty());
        show(view);
        main.start();
        stopWakeDetector();
        wakeDetector = WakeDetector.start(() -> Platform.runLater(current::reconnectNow));
        startTray(current);
    }

    /**
     * The tray icon with this account's unread count, where the desktop has a tray. Looked for in
     * the background, like the desktop's notifications: a dead bus address must not stall the window.
     */
    private void startTray(MainViewModel current) {
        String account = current.me().getUsername();
        io.execute(() -> TrayIcon.onSessionBus(account, this::showWindow, Platform::runLater)
                .ifPresent(found -> Platform.runLater(() -> {
                    if (main != current || io.isShutdown()) {
                        found.close(); // signed out or closed meanwhile
                        return;
                    }
                    tray = found;
                    found.follow(current.conversations().totalUnreadProperty());
                })));
    }

    private void stopTray() {
        if (tray != null) {
            tray.close();
            tray = null;
        }
    }

    private void stopWakeDetector() {
        if (wakeDetector != null) {
            wakeDetector.close();
            wakeDetector = null;
        }
    }

    private void signOut() {
        MainViewModel current = main;
        if (current == null) {
            return;
        }
        store.forgetToken();
        current.signOut(() -> {
            current.close();
            notifications.closeAll();
            showLogin("");
        });
    }

    private void sessionEnded() {
        leaveSession("Your session has ended; sign in again.");
    }

    private void accountDeleted() {
        leaveSession("Your account has been deleted.");
    }

    /** The server no longer accepts the session: back to the connect screen, saying why. */
    private void leaveSession(String message) {
        MainViewModel current = main;
        if (current != null) {
            current.close();
        }
        store.forgetToken();
        notifications.closeAll();
        showLogin(message);
    }

    private void openFromNotification(String peerId) {
        if (main != null) {
            main.conversations().openConversationWith(peerId);
        }
        showWindow();
    }

    /** Brings the window back: restored if minimized, in front, with the keyboard. */
    private void showWindow() {
        stage.setIconified(false);
        stage.show();
        stage.toFront();
        stage.requestFocus();
    }

    private static void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }

    private Parent signingIn(String server) {
        Label label = new Label("Signing in to " + server + "…");
        VBox box = new VBox(12, new ProgressIndicator(), label);
        box.setAlignment(javafx.geometry.Pos.CENTER);
        return box;
    }

    private void show(Parent root) {
        scene.setRoot(root);
    }

    /** Remembers the window's place, stops the feed and background work; the window stays as it is. */
    public void close() {
        rememberPlace();
        stopWakeDetector();
        stopTray();
        if (main != null) {
            main.close();
        }
        notifications.close();
        io.shutdownNow();
    }
}
