package dev.messenger.desktop.tray;

import dev.messenger.desktop.TestBus;
import javafx.application.Platform;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.messenger.desktop.tray.StatusNotifierItem.INTERFACE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tray icon's side of the StatusNotifierItem protocol over a real D-Bus daemon (dbus-java's
 * embedded one), with the test playing the desktop: its tray's watcher, and the host that reads
 * the item's properties, listens to its signals and clicks it.
 */
class TrayIconTest {
    private static TestBus bus;
    private static String address;

    private final IntegerProperty unread = new SimpleIntegerProperty();
    /** Each time the window was asked back: whether on the JavaFX thread. */
    private final List<Boolean> windowShown = new CopyOnWriteArrayList<>();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void startBusAndJavaFx() throws Exception {
        FxToolkit.registerPrimaryStage();
        bus = TestBus.start();
        address = bus.address();
    }

    @AfterAll
    static void stopBus() throws Exception {
        bus.close();
    }

    @BeforeEach
    void recordLog() {
        Logger.getLogger(TrayIcon.class.getName()).addHandler(recorder);
    }

    @AfterEach
    void stopRecordingLog() {
        Logger.getLogger(TrayIcon.class.getName()).removeHandler(recorder);
    }

    @Test
    void withoutATrayThereIsNoIconAndNoError() throws Exception {
        assertTrue(TrayIcon.at("unix:path=/nonexistent/bus", "alice", () -> { }, Platform::runLater).isEmpty(), "no bus, no item");
        try (TrayIcon tray = started()) {
            waitUntil(() -> !logged.isEmpty());
            assertEquals(Level.INFO, logged.getFirst().getLevel());
            assertTrue(logged.getFirst().getMessage().startsWith("No tray icon: this desktop has no tray"), logged.getFirst().getMessage());
            onFx(() -> unread.set(4));
            Thread.sleep(500);
            assertEquals(List.of(Level.INFO), logged.stream().map(LogRecord::getLevel).toList(), "nothing but that");
        }
    }

    @Test
    void itRegistersWithTheTrayWhichReadsItsProperties() throws Exception {
        onFx(() -> unread.set(2));
        try (Desktop desktop = new Desktop(); TrayIcon tray = started()) {
            String item = desktop.nextItem();
            assertTrue(item.startsWith("org.kde.StatusNotifierItem-" + ProcessHandle.current().pid() + "-"), item);
            Properties properties = desktop.properties(item);
            assertEquals("Communications", properties.Get(INTERFACE, "Category"));
            assertEquals("messenger", properties.Get(INTERFACE, "Id"));
            assertEquals("Messenger — alice", properties.Get(INTERFACE, "Title"));
            assertEquals("NeedsAttention", properties.Get(INTERFACE, "Status"));
            assertEquals(false, properties.Get(INTERFACE, "ItemIsMenu"), "a click activates");

            List<Picture> icon = Picture.all(properties.Get(INTERFACE, "IconPixmap"));
            assertEquals(List.of(22, 32, 48), icon.stream().map(Picture::width).toList());
            for (Picture picture : icon) {
                int size = picture.width();
                assertEquals(size * size * 4, picture.argb().length);
                assertEquals(255, picture.alpha(size / 4, size * 3 / 4), "the icon's pixels are opaque");
                assertTrue(picture.redInBadgeCorner() > 0, "with the badge");
            }
            Object[] toolTip = properties.Get(INTERFACE, "ToolTip");
            assertEquals("Messenger — alice", toolTip[2]);
            assertEquals("2 unread messages", toolTip[3]);

            Map<String, Variant<?>> all = properties.GetAll(INTERFACE);
            assertEquals("Communications", all.get("Category").getValue());
            assertEquals("NeedsAttention", all.get("Status").getValue());
            assertEquals("a(iiay)", all.get("IconPixmap").getSig());
            assertEquals("a(iiay)", all.get("AttentionIconPixmap").getSig());
            assertEquals("(sa(iiay)ss)", all.get("ToolTip").getSig());
        }
    }

    @Test
    void aNewCountIsDrawnAndAnnouncedOnceForABurst() throws Exception {
        try (Desktop desktop = new Desktop(); TrayIcon tray = started()) {
            Properties properties = desktop.properties(desktop.nextItem());
            assertEquals("Active", properties.Get(INTERFACE, "Status"));
            assertEquals(0, Picture.all(properties.Get(INTERFACE, "IconPixmap")).getLast().redAnywhere());

            List<DBusSignal> signals = desktop.itemSignals();
            // Three messages arriving a few milliseconds apart: one redraw, one round of signals.
            onFx(() -> unread.set(1));
            onFx(() -> unread.set(2));
            onFx(() -> unread.set(3));
            waitUntil(() -> signals.size() >= 4);
            Thread.sleep(600);
            assertEquals(List.of("NewAttentionIcon", "NewIcon", "NewStatus", "NewToolTip"),
                    signals.stream().map(signal -> signal.getClass().getSimpleName()).sorted().toList());
            assertEquals("NeedsAttention", newStatuses(signals));
            assertEquals("NeedsAttention", properties.Get(INTERFACE, "Status"));
            assertEquals("3 unread messages", ((Object[]) properties.Get(INTERFACE, "ToolTip"))[3]);
            List<Picture> icon = Picture.all(properties.Get(INTERFACE, "IconPixmap"));
            List<Picture> attention = Picture.all(properties.Get(INTERFACE, "AttentionIconPixmap"));
            for (int i = 0; i < icon.size(); i++) {
                assertTrue(icon.get(i).redInBadgeCorner() > 0, "the badge at " + icon.get(i).width() + " px");
                assertArrayEquals(icon.get(i).argb(), attention.get(i).argb(), "the attention icon is the badged icon");
            }

            signals.clear();
            onFx(() -> unread.set(0));
            waitUntil(() -> signals.size() >= 4);
            assertEquals("Active", newStatuses(signals));
            assertEquals("Active", properties.Get(INTERFACE, "Status"));
            assertEquals("No unread messages", ((Object[]) properties.Get(INTERFACE, "ToolTip"))[3]);
            for (Picture picture : Picture.all(properties.Get(INTERFACE, "IconPixmap"))) {
                assertEquals(0, picture.redAnywhere(), "no badge at " + picture.width() + " px");
            }

            signals.clear();
            onFx(() -> unread.set(5));
            waitUntil(() -> signals.size() >= 3);
            Thread.sleep(600);
            onFx(() -> unread.set(6));
            waitUntil(() -> signals.size() >= 6);
            Thread.sleep(600);
            assertEquals(List.of("NeedsAttention"), signals.stream().filter(StatusNotifierItem.NewStatus.class::isInstance)
                    .map(signal -> ((StatusNotifierItem.NewStatus) signal).status()).toList(), "the status only when it changes");
        }
    }

    @Test
    void aClickOnTheIconBringsTheWindowBack() throws Exception {
        try (Desktop desktop = new Desktop(); TrayIcon tray = started()) {
            StatusNotifierItem item = desktop.connection.getRemoteObject(desktop.nextItem(), StatusNotifierItem.OBJECT_PATH,
                    StatusNotifierItem.class);
            item.activate(100, 200);
            waitUntil(() -> windowShown.size() == 1);
            item.contextMenu(100, 200);
            waitUntil(() -> windowShown.size() == 2);
            assertEquals(List.of(true, true), windowShown, "on the JavaFX thread");
        }
    }

    @Test
    void aTrayThatStartsLaterGetsTheIconAndSoDoesARestartedOne() throws Exception {
        try (TrayIcon tray = started()) {
            waitUntil(() -> !logged.isEmpty()); // it looked, and found no tray
            String item;
            try (Desktop desktop = new Desktop()) {
                item = desktop.nextItem();
            }
            try (Desktop restarted = new Desktop()) {
                assertEquals(item, restarted.nextItem());
            }
        }
    }

    @Test
    void closingGivesTheNameBack() throws Exception {
        try (Desktop desktop = new Desktop()) {
            TrayIcon tray = started();
            String item = desktop.nextItem();
            DBus bus = desktop.connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            assertTrue(bus.NameHasOwner(item));
            tray.close();
            waitUntil(() -> !bus.NameHasOwner(item));
            onFx(() -> unread.set(7)); // a late change after closing is nothing
            tray.close();
        }
    }

    private TrayIcon started() throws Exception {
        TrayIcon tray = TrayIcon.at(address, "alice", () -> windowShown.add(Platform.isFxApplicationThread()), Platform::runLater)
                .orElseThrow();
        onFx(() -> tray.follow(unread));
        return tray;
    }

    private static String newStatuses(List<DBusSignal> signals) {
        return signals.stream().filter(StatusNotifierItem.NewStatus.class::isInstance)
                .map(signal -> ((StatusNotifierItem.NewStatus) signal).status()).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static void onFx(Runnable action) throws Exception {
        WaitForAsyncUtils.asyncFx(action).get(10, TimeUnit.SECONDS);
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(20);
        }
    }

    /** Stands in for the desktop's tray: its watcher records the items that register, and it reads them as a host. */
    public static final class Desktop implements StatusNotifierWatcher, AutoCloseable {
        final DBusConnection connection;
        private final List<String> registered = new CopyOnWriteArrayList<>();

        Desktop() throws DBusException {
            connection = DBusConnectionBuilder.forAddress(address).withShared(false).build();
            connection.exportObject(OBJECT_PATH, this);
            connection.requestBusName(BUS_NAME);
        }

        @Override
        public void registerStatusNotifierItem(String service) {
            registered.add(service);
        }

        /** The one item that registered with this watcher. */
        String nextItem() throws InterruptedException {
            waitUntil(() -> !registered.isEmpty());
            assertEquals(1, registered.size(), registered::toString);
            return registered.getFirst();
        }

        Properties properties(String item) throws DBusException {
            return connection.getRemoteObject(item, StatusNotifierItem.OBJECT_PATH, Properties.class);
        }

        /** From now on, every signal of the item's interface, as it arrives. */
        List<DBusSignal> itemSignals() throws DBusException {
            List<DBusSignal> signals = new CopyOnWriteArrayList<>();
            connection.addSigHandler(StatusNotifierItem.NewIcon.class, signals::add);
            connection.addSigHandler(StatusNotifierItem.NewAttentionIcon.class, signals::add);
            connection.addSigHandler(StatusNotifierItem.NewToolTip.class, signals::add);
            connection.addSigHandler(StatusNotifierItem.NewStatus.class, signals::add);
            return signals;
        }

        @Override
        public String getObjectPath() {
            return OBJECT_PATH;
        }

        /** Gives the watcher's name back first, so the next test finds the bus without a tray at once. */
        @Override
        public void close() throws DBusException {
            connection.releaseBusName(BUS_NAME);
            connection.disconnect();
        }
    }
}
