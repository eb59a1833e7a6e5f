package dev.messenger.desktop.ui;

import dev.messenger.server.testing.TestUser;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testfx.api.FxRobot;

import java.util.ArrayList;
import java.util.List;

/**
 * What a UI test opened (app windows, servers, channels), closed after each test, newest first.
 * Register with {@code @RegisterExtension}.
 */
final class Opened implements AfterEachCallback {
    private final FxRobot robot;
    private final List<AutoCloseable> items = new ArrayList<>();

    Opened(FxRobot robot) {
        this.robot = robot;
    }

    /** A new app window with preferences and a token file of its own. */
    AppWindow window(String title) throws Exception {
        return add(AppWindow.open(robot, title));
    }

    /** A new app window signed in to {@code server} as {@code user}, once it shows the main window. */
    AppWindow signedIn(String title, String server, TestUser user) throws Exception {
        AppWindow window = add(AppWindow.signedIn(robot, title, server, user));
        window.waitUntil("signed in", () -> window.hasNode("#conversations"));
        return window;
    }

    /** A new app window on what an earlier one saved. */
    AppWindow reopen(String title, AppWindow earlier) throws Exception {
        return add(AppWindow.reopen(robot, title, earlier));
    }

    <T extends AutoCloseable> T add(T item) {
        items.add(item);
        return item;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (AutoCloseable item : items.reversed()) {
                item.close();
            }
        } finally {
            items.clear();
        }
    }
}
