package dev.messenger.desktop.notifications;

import dev.messenger.api.v1.User;
import dev.messenger.desktop.TestBus;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The app's side of the Desktop Notifications protocol over a real D-Bus daemon (dbus-java's
 * embedded one), with a notification server of the test's own on the bus in place of the desktop's.
 */
class DesktopNotificationsTest {
    private static TestBus bus;
    private static String address;

    @BeforeAll
    static void startBus() throws Exception {
        bus = TestBus.start();
        address = bus.address();
    }

    @AfterAll
    static void stopBus() throws Exception {
        bus.close();
    }

    @Test
    void withoutANotificationServiceTheAppKeepsItsOwnPopups() {
        assertTrue(DesktopNotifications.at(address, id -> { }, Runnable::run).isEmpty());
        assertTrue(DesktopNotifications.at("unix:path=/nonexistent/bus", id -> { }, Runnable::run).isEmpty());
    }

    @Test
    void messagesGoToTheDesktopOnePerSenderAndAClickOpensTheConversation() throws Exception {
        RecordingServer server = new RecordingServer();
        try (DBusConnection desktop = DBusConnectionBuilder.forAddress(address).build()) {
            desktop.requestBusName(FreedesktopNotifications.BUS_NAME);
            desktop.exportObject(FreedesktopNotifications.OBJECT_PATH, server);
            List<String> opened = new CopyOnWriteArrayList<>();
            try (DesktopNotifications notifications = DesktopNotifications.at(address, opened::add, Runnable::run).orElseThrow()) {
                User alice = User.newBuilder().setId("alice-id").setUsername("alice").setDisplayName("Alice").build();
                notifications.show(Notification.of(alice, "Lunch <at> 1 & bring\nthe plans"));
                waitUntil(() -> server.shown.size() == 1);
                Shown first = server.shown.getFirst();
                assertEquals("Alice", first.summary());
                assertEquals("Lunch &lt;at&gt; 1 &amp; bring the plans", first.body());
                assertEquals(0, first.replacesId(), "a new one");
                assertTrue(first.actions().contains(FreedesktopNotifications.DEFAULT_ACTION), "clickable");
                assertEquals("message-new-instant", first.hints().get("sound-name").getValue(), "with the desktop's sound");

                notifications.show(Notification.of(alice, "and the keys"), false);
                waitUntil(() -> server.shown.size() == 2);
                assertEquals(1, server.shown.get(1).replacesId(), "Alice's second message replaces her first notification");
                assertEquals(true, server.shown.get(1).hints().get("suppress-sound").getValue(), "silent when sound is off");

                desktop.sendMessage(new FreedesktopNotifications.ActionInvoked(FreedesktopNotifications.OBJECT_PATH,
                        new UInt32(1), FreedesktopNotifications.DEFAULT_ACTION));
                waitUntil(() -> !opened.isEmpty());
                assertEquals(List.of("alice-id"), opened);

                notifications.closeAll();
                waitUntil(() -> !server.closed.isEmpty());
                assertEquals(List.of(1L), server.closed);
            }
        }
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(20);
        }
    }

    private record Shown(long replacesId, String summary, String body, List<String> actions, Map<String, Variant<?>> hints) {
    }

    /** Stands in for the desktop's notification server: records what it is asked, numbers from 1. */
    public static final class RecordingServer implements FreedesktopNotifications {
        final List<Shown> shown = new CopyOnWriteArrayList<>();
        final List<Long> closed = new CopyOnWriteArrayList<>();

        @Override
        public UInt32 show(String appName, UInt32 replacesId, String appIcon, String summary, String body, List<String> actions,
                           Map<String, Variant<?>> hints, int expireTimeoutMillis) {
            shown.add(new Shown(replacesId.longValue(), summary, body, actions, hints));
            return replacesId.longValue() == 0 ? new UInt32(shown.size()) : replacesId;
        }

        @Override
        public void close(UInt32 id) {
            closed.add(id.longValue());
        }

        @Override
        public List<String> capabilities() {
            return List.of("body", "body-markup", "actions");
        }

        @Override
        public String getObjectPath() {
            return OBJECT_PATH;
        }
    }
}
