package dev.messenger.desktop.ui;

import dev.messenger.api.v1.User;
import dev.messenger.desktop.DesktopApp;
import dev.messenger.desktop.chat.ChatItem;
import dev.messenger.desktop.connection.ServerAddress;
import dev.messenger.desktop.connection.ServerEndpoint;
import dev.messenger.desktop.session.Session;
import dev.messenger.desktop.session.SessionStore;
import dev.messenger.desktop.session.TokenFile;
import dev.messenger.server.testing.TestUser;
import javafx.event.Event;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.ScrollEvent;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/** One real app window for a UI test, with preferences of its own (so tests never touch the user's). */
final class AppWindow extends StageDriver implements AutoCloseable {
    private static final double WINDOW_WIDTH = 1000;
    private static final java.util.concurrent.atomic.AtomicInteger OPEN_WINDOWS = new java.util.concurrent.atomic.AtomicInteger();

    final DesktopApp app;
    /** What the app was asked to open in the browser. */
    final List<URI> openedLinks;
    private final Preferences preferences;
    private final TokenFile tokenFile;
    private boolean quit;

    private AppWindow(Stage stage, DesktopApp app, List<URI> openedLinks, Preferences preferences, TokenFile tokenFile,
                      FxRobot robot) {
        super(robot, stage, "window " + stage.getUserData());
        this.app = app;
        this.openedLinks = openedLinks;
        this.preferences = preferences;
        this.tokenFile = tokenFile;
    }

    static AppWindow open(FxRobot robot, String title) throws Exception {
        Preferences preferences = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
        Path dir = Files.createTempDirectory("messenger-ui-test-");
        return open(robot, title, preferences, new TokenFile(dir.resolve("config").resolve("session")), true);
    }

    /**
     * Opens a window that signs straight in, as after a restart: the session of a user signed in
     * over gRPC is remembered (quicker than typing on the connect screen).
     */
    static AppWindow signedIn(FxRobot robot, String title, String server, TestUser user) throws Exception {
        Preferences preferences = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
        TokenFile tokenFile = new TokenFile(Files.createTempDirectory("messenger-ui-test-").resolve("config").resolve("session"));
        User me = User.newBuilder().setId(user.id().toString()).setUsername(user.username()).build();
        new SessionStore(preferences, tokenFile).remember(new Session(ServerEndpoint.of(ServerAddress.parse(server, true)), user.token(), me));
        return open(robot, title, preferences, tokenFile, true);
    }

    /**
     * Opens a window on what an earlier one saved (e.g. to see a remembered session used), where
     * the earlier one was left.
     */
    static AppWindow reopen(FxRobot robot, String title, AppWindow earlier) throws Exception {
        return open(robot, title, earlier.preferences, earlier.tokenFile, false);
    }

    private static AppWindow open(FxRobot robot, String title, Preferences preferences, TokenFile tokenFile, boolean place)
            throws Exception {
        int slot = OPEN_WINDOWS.getAndIncrement();
        return WaitForAsyncUtils.asyncFx(() -> {
            Stage stage = new Stage();
            List<URI> openedLinks = new CopyOnWriteArrayList<>();
            DesktopApp app = new DesktopApp(stage, new SessionStore(preferences, tokenFile), openedLinks::add);
            app.start();
            if (place) {
                // Side by side, never overlapping: the robot clicks at screen positions.
                stage.setX((slot % 2) * WINDOW_WIDTH);
                stage.setY(0);
                stage.setWidth(WINDOW_WIDTH);
                stage.setHeight(720);
            }
            stage.setUserData(title);
            return new AppWindow(stage, app, openedLinks, preferences, tokenFile, robot);
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    Preferences preferences() {
        return preferences;
    }

    TokenFile tokenFile() {
        return tokenFile;
    }

    /** Registers a new account through the connect screen and waits for the main window. */
    void register(String server, String username, String displayName, String password) {
        click("#toggleMode");
        type("#server", server);
        type("#username", username);
        type("#displayName", displayName);
        type("#password", password);
        click("#submit");
        waitUntil("signed in", () -> hasNode("#conversations"));
    }

    /** Finds someone through the search field and opens the conversation with them. */
    void openConversationWith(String username) {
        type("#search", username);
        waitUntil(username + " is found", () -> ((ListView<?>) node("#searchResults")).getItems().size() == 1);
        click("#searchResults .list-cell");
        waitUntil("the conversation opens", () -> hasNode("#composer"));
    }

    /**
     * A message's row as the message list shows it: its index in the conversation (oldest first),
     * the "N new messages" line above it if any, and its top and bottom edge measured from the top
     * of the list's viewport.
     */
    record Row(int index, String text, String unreadLine, double top, double bottom, double viewportHeight) {
        boolean wholeInView() {
            return top >= -0.5 && bottom <= viewportHeight + 0.5;
        }
    }

    /** The rows of the open conversation that are at least partly in view, top to bottom. */
    List<Row> rowsInView() {
        try {
            return WaitForAsyncUtils.asyncFx(() -> {
                ListView<?> list = node("#messages");
                Node viewport = list.lookup(".clipped-container");
                Bounds view = viewport.localToScene(viewport.getLayoutBounds());
                List<Row> rows = new ArrayList<>();
                for (Node node : list.lookupAll(".message-cell")) {
                    if (node instanceof ListCell<?> cell && cell.getItem() instanceof ChatItem item && shownIn(cell, list)) {
                        Bounds bounds = cell.localToScene(cell.getLayoutBounds());
                        String unreadLine = cell.lookupAll(".unread-separator").stream()
                                .filter(line -> shownIn(line, list))
                                .map(line -> ((Labeled) line).getText())
                                .findFirst().orElse("");
                        Row row = new Row(cell.getIndex(), item.text(), unreadLine, bounds.getMinY() - view.getMinY(),
                                bounds.getMaxY() - view.getMinY(), view.getHeight());
                        if (row.bottom() > 0 && row.top() < row.viewportHeight()) {
                            rows.add(row);
                        }
                    }
                }
                rows.sort(Comparator.comparingInt(Row::index));
                return rows;
            }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Could not read the message list", e);
        }
    }

    /**
     * The rows in view once the list has stopped moving (the same in ten reads in a row): a wheel
     * notch or an arrival is followed by a layout pass or two.
     */
    List<Row> settledRows() {
        List<List<Row>> reads = new ArrayList<>();
        waitUntil("the message list stops moving", () -> {
            reads.add(rowsInView());
            int last = reads.size() - 1;
            return last >= 9 && reads.subList(last - 9, last).stream().allMatch(reads.get(last)::equals);
        });
        return reads.getLast();
    }

    /** True when the message with this text is entirely in view. */
    boolean wholeInView(String text) {
        return rowsInView().stream().anyMatch(row -> row.text().equals(text) && row.wholeInView());
    }

    /** Spare rows (kept for reuse, or used to measure) are hidden or hang under a hidden parent. */
    private static boolean shownIn(Node node, Node list) {
        for (Node at = node; at != list; at = at.getParent()) {
            if (at == null || !at.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Turns the mouse wheel over the message list by whole notches (positive: up, to older
     * messages), delivered as the platform delivers a notch: three lines. The headless platform
     * has no wheel of its own.
     */
    void wheel(int notches) {
        interact(() -> {
            Node flow = ((Node) node("#messages")).lookup(".virtual-flow");
            Bounds bounds = flow.localToScene(flow.getLayoutBounds());
            double x = bounds.getCenterX();
            double y = bounds.getCenterY();
            Event.fireEvent(flow, new ScrollEvent(ScrollEvent.SCROLL, x, y, x, y, false, false, false, false, false, false,
                    0, 40.0 * notches, 0, 40.0 * notches, ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                    ScrollEvent.VerticalTextScrollUnits.LINES, 3.0 * notches, 0, null));
        });
    }

    /** Quits the app as a user would, keeping its preferences (for a test that starts it again on them). */
    void quit() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            app.close();
            stage.close();
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        quit = true;
    }

    @Override
    public void close() throws Exception {
        // Once quit, the app has saved its window; a window reopened on the same preferences may have removed them since.
        if (!quit) {
            quit();
        }
        try {
            preferences.removeNode();
        } catch (BackingStoreException | IllegalStateException e) {
            // Already gone.
        }
        tokenFile.delete();
    }
}
