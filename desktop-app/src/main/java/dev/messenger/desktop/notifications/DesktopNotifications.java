package dev.messenger.desktop.notifications;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Notifications through the desktop's own notification service (D-Bus
 * {@code org.freedesktop.Notifications}: GNOME, KDE, XFCE, dunst, mako…). They never take the
 * keyboard, follow the desktop's do-not-disturb and history, and a click opens the conversation.
 * One notification per sender: a second message from the same person replaces the first's.
 */
public final class DesktopNotifications implements Notifier, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DesktopNotifications.class.getName());
    private static final UInt32 NEW = new UInt32(0);
    /** Let the notification server choose how long it stays. */
    private static final int SERVER_DEFAULT_TIMEOUT = -1;

    private final DBusConnection connection;
    private final FreedesktopNotifications service;
    private final Consumer<String> openConversation;
    private final Executor ui;
    private final ExecutorService calls = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("notify").factory());
    private final Map<UInt32, String> senderOf = new ConcurrentHashMap<>();
    private final Map<String, UInt32> shownFor = new ConcurrentHashMap<>();
    private final List<AutoCloseable> handlers;

    private DesktopNotifications(DBusConnection connection, Consumer<String> openConversation, Executor ui) throws DBusException {
        this.connection = connection;
        this.openConversation = openConversation;
        this.ui = ui;
        this.service = connection.getRemoteObject(FreedesktopNotifications.BUS_NAME, FreedesktopNotifications.OBJECT_PATH,
                FreedesktopNotifications.class);
        this.handlers = List.of(
                connection.addSigHandler(FreedesktopNotifications.ActionInvoked.class, this::clicked),
                connection.addSigHandler(FreedesktopNotifications.NotificationClosed.class, this::closed));
    }

    /**
     * The session's notification service, if this desktop has one (a session bus, and a service
     * running or startable on it); otherwise empty, and the app shows its own popups.
     *
     * @param openConversation told (through {@code ui}) the sender's id when a notification is clicked
     */
    public static Optional<DesktopNotifications> onSessionBus(Consumer<String> openConversation, Executor ui) {
        return SessionBus.address().flatMap(address -> at(address, openConversation, ui));
    }

    /** The notification service on the bus at {@code address} (a D-Bus address such as {@code unix:path=…}). */
    public static Optional<DesktopNotifications> at(String address, Consumer<String> openConversation, Executor ui) {
        if (SessionBus.missingSocket(address)) {
            return Optional.empty();
        }
        DBusConnection connection = null;
        try {
            connection = DBusConnectionBuilder.forAddress(address).build();
            DBus bus = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            boolean offered = bus.NameHasOwner(FreedesktopNotifications.BUS_NAME)
                    || Arrays.asList(bus.ListActivatableNames()).contains(FreedesktopNotifications.BUS_NAME);
            if (!offered) {
                connection.disconnect();
                return Optional.empty();
            }
            return Optional.of(new DesktopNotifications(connection, openConversation, ui));
        } catch (DBusException | RuntimeException e) {
            LOG.log(Level.INFO, "No desktop notification service on " + address + "; using the app's own popups", e);
            if (connection != null) {
                connection.disconnect();
            }
            return Optional.empty();
        }
    }

    @Override
    public void show(Notification notification) {
        show(notification, true);
    }

    /**
     * @param sound whether the notification server should play its new-message sound (the
     *              specification's sound naming; servers without sound ignore it)
     */
    public void show(Notification notification, boolean sound) {
        Map<String, Variant<?>> hints = Map.of("category", new Variant<>("im.received"),
                sound ? "sound-name" : "suppress-sound", sound ? new Variant<>("message-new-instant") : new Variant<>(true));
        String senderId = notification.sender().getId();
        calls.execute(() -> {
            try {
                UInt32 id = service.show("Messenger", shownFor.getOrDefault(senderId, NEW), "mail-message-new",
                        notification.sender().getDisplayName(), escaped(notification.preview()),
                        List.of(FreedesktopNotifications.DEFAULT_ACTION, "Open"),
                        hints, SERVER_DEFAULT_TIMEOUT);
                senderOf.put(id, senderId);
                shownFor.put(senderId, id);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The desktop did not show a notification", e);
            }
        });
    }

    @Override
    public void closeAll() {
        calls.execute(() -> {
            for (UInt32 id : List.copyOf(senderOf.keySet())) {
                try {
                    service.close(id);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "Notification " + id + " was already gone", e);
                }
            }
            senderOf.clear();
            shownFor.clear();
        });
    }

    private void clicked(FreedesktopNotifications.ActionInvoked signal) {
        String senderId = senderOf.get(signal.id());
        if (senderId != null) {
            ui.execute(() -> openConversation.accept(senderId));
        }
    }

    private void closed(FreedesktopNotifications.NotificationClosed signal) {
        String senderId = senderOf.remove(signal.id());
        if (senderId != null) {
            shownFor.remove(senderId, signal.id());
        }
    }

    /** Servers that support body markup read {@code <}, {@code >} and {@code &} as markup. */
    static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        closeAll();
        calls.close();
        for (AutoCloseable handler : handlers) {
            try {
                handler.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "Removing a signal handler failed", e);
            }
        }
        connection.disconnect();
    }
}
