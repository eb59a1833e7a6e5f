package dev.messenger.desktop.tray;

import dev.messenger.desktop.notifications.SessionBus;
import javafx.beans.value.ObservableIntegerValue;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.errors.PropertyReadOnly;
import org.freedesktop.dbus.errors.UnknownInterface;
import org.freedesktop.dbus.errors.UnknownProperty;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The app's icon in the desktop's tray with the unread count on it: a StatusNotifierItem on the
 * session bus, which KDE Plasma, GNOME (with the AppIndicator extension), XFCE, waybar and others
 * show. A click brings the window back. Where the desktop has no tray (no StatusNotifierWatcher)
 * there is no icon, and it appears if a tray starts later.
 *
 * <p>One item per signed-in account: it follows that account's unread count, and its title names
 * the account, so two accounts' icons can be told apart.
 */
public final class TrayIcon implements StatusNotifierItem, Properties, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TrayIcon.class.getName());
    private static final String PIXMAPS = "a(iiay)";
    private static final String TOOL_TIP = "(sa(iiay)ss)";
    /** Changes of the count within this long are drawn and announced once: a burst of messages, the catch-up after a reconnect. */
    private static final long COALESCE_MILLIS = 250;
    /** What the properties say until {@link #follow} draws the first picture; the item is not registered before. */
    private static final Look UNDRAWN = new Look(0, List.of());

    private final DBusConnection connection;
    private final DBus bus;
    private final StatusNotifierWatcher watcher;
    private final String busName;
    private final String title;
    private final Runnable showWindow;
    private final Executor ui;
    private final Executor coalesced;
    private final UnreadBadge badge = new UnreadBadge();
    private final ExecutorService calls = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("tray").factory());
    private volatile Look look = UNDRAWN;
    private volatile boolean closed;
    private boolean redrawPending; // on the UI thread only

    private TrayIcon(DBusConnection connection, String account, Runnable showWindow, Executor ui) throws DBusException {
        this.connection = connection;
        this.bus = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        this.watcher = connection.getRemoteObject(StatusNotifierWatcher.BUS_NAME, StatusNotifierWatcher.OBJECT_PATH,
                StatusNotifierWatcher.class);
        this.title = "Messenger — " + account;
        this.showWindow = showWindow;
        this.ui = ui;
        this.coalesced = CompletableFuture.delayedExecutor(COALESCE_MILLIS, TimeUnit.MILLISECONDS, ui);
        this.busName = claimName(bus);
        connection.exportObject(OBJECT_PATH, this);
        connection.addSigHandler(DBus.NameOwnerChanged.class, this::nameOwnerChanged);
    }

    /**
     * The item on this session's bus, if there is a session bus; it shows in a tray once
     * {@link #follow} gives it a count and the desktop has a tray. Connects and takes a name on the
     * bus: call it off the UI thread.
     *
     * @param account    the signed-in username, in the item's title and tooltip
     * @param showWindow brings the window back (run through {@code ui}) when the icon is clicked
     */
    public static Optional<TrayIcon> onSessionBus(String account, Runnable showWindow, Executor ui) {
        return SessionBus.address().flatMap(address -> at(address, account, showWindow, ui));
    }

    /** The item on the bus at {@code address} (a D-Bus address such as {@code unix:path=…}). */
    public static Optional<TrayIcon> at(String address, String account, Runnable showWindow, Executor ui) {
        if (SessionBus.missingSocket(address)) {
            return Optional.empty();
        }
        DBusConnection connection = null;
        try {
            // Not dbus-java's shared connection (the desktop notifications' one): closing the tray
            // must leave that connected.
            connection = DBusConnectionBuilder.forAddress(address).withShared(false).build();
            return Optional.of(new TrayIcon(connection, account, showWindow, ui));
        } catch (DBusException | RuntimeException e) {
            LOG.log(Level.INFO, "No tray icon: the session bus at " + address + " cannot be used", e);
            if (connection != null) {
                connection.disconnect();
            }
            return Optional.empty();
        }
    }

    /**
     * The first free {@code org.kde.StatusNotifierItem-<pid>-<n>}: the number tells one process's
     * items apart (after a sign-out and a new sign-in, the old item may not have let go of its name yet).
     */
    private static String claimName(DBus bus) throws DBusException {
        String prefix = BUS_NAME_PREFIX + ProcessHandle.current().pid() + "-";
        for (int n = 1; n <= 100; n++) {
            UInt32 reply = bus.RequestName(prefix + n, new UInt32(DBus.DBUS_NAME_FLAG_DO_NOT_QUEUE));
            if (reply.intValue() == DBus.DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER) {
                return prefix + n;
            }
        }
        throw new DBusException("Every tray item name from " + prefix + "1 to 100 is taken");
    }

    /**
     * Shows {@code unread} on the icon from now on, and puts the icon in the tray. On the UI thread
     * (the pictures are drawn there).
     */
    public void follow(ObservableIntegerValue unread) {
        unread.addListener(invalidated -> {
            if (!redrawPending) {
                redrawPending = true;
                coalesced.execute(() -> {
                    redrawPending = false;
                    show(unread.get());
                });
            }
        });
        show(unread.get());
    }

    private void show(int unread) {
        Look previous = look;
        if (closed || previous != UNDRAWN && previous.unread() == unread) {
            return;
        }
        Look next = new Look(unread, badge.pixmaps(unread));
        look = next;
        inBackground(() -> {
            if (previous == UNDRAWN) {
                register();
            } else {
                announce(previous, next);
            }
        });
    }

    /** Calls on the bus wait their turn on a thread of their own: the UI never waits for the bus. */
    private synchronized void inBackground(Runnable call) {
        if (!closed) {
            calls.execute(call);
        }
    }

    private void register() {
        if (look == UNDRAWN) {
            return;
        }
        try {
            if (!bus.NameHasOwner(StatusNotifierWatcher.BUS_NAME)) {
                LOG.info("No tray icon: this desktop has no tray (no " + StatusNotifierWatcher.BUS_NAME
                        + " on the session bus); it appears if one starts");
                return;
            }
            watcher.registerStatusNotifierItem(busName);
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "The desktop's tray did not take the icon", e);
        }
    }

    /** A tray that starts (or starts again: a panel restarted) knows no item until it registers again. */
    private void nameOwnerChanged(DBus.NameOwnerChanged change) {
        if (StatusNotifierWatcher.BUS_NAME.equals(change.name) && !change.newOwner.isEmpty()) {
            inBackground(this::register);
        }
    }

    private void announce(Look previous, Look next) {
        try {
            connection.sendMessage(new NewIcon(OBJECT_PATH));
            connection.sendMessage(new NewAttentionIcon(OBJECT_PATH));
            connection.sendMessage(new NewToolTip(OBJECT_PATH));
            if (!previous.status().equals(next.status())) {
                connection.sendMessage(new NewStatus(OBJECT_PATH, next.status()));
            }
        } catch (DBusException e) {
            LOG.log(Level.WARNING, "The tray icon's new count was not announced", e);
        }
    }

    @Override
    public void activate(int x, int y) {
        ui.execute(showWindow);
    }

    @Override
    public void secondaryActivate(int x, int y) {
        ui.execute(showWindow);
    }

    /**
     * No com.canonical.dbusmenu menu: its one useful entry would be "Open", which a click does
     * already, and the window's own menu has the rest. Without a Menu property, hosts call this
     * on a right click.
     */
    @Override
    public void contextMenu(int x, int y) {
        ui.execute(showWindow);
    }

    /** The count has nothing to scroll through. */
    @Override
    public void scroll(int delta, String orientation) {
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A> A Get(String interfaceName, String propertyName) {
        Variant<?> value = properties(interfaceName).get(propertyName);
        if (value == null) {
            throw new UnknownProperty("No property " + propertyName + " in " + interfaceName);
        }
        return (A) value;
    }

    @Override
    public Map<String, Variant<?>> GetAll(String interfaceName) {
        return properties(interfaceName);
    }

    @Override
    public <A> void Set(String interfaceName, String propertyName, A value) {
        throw new PropertyReadOnly("The tray item's properties are read-only");
    }

    /** With explicit signatures: a Variant made from a list alone cannot tell what the list holds. */
    private Map<String, Variant<?>> properties(String interfaceName) {
        if (!INTERFACE.equals(interfaceName)) {
            throw new UnknownInterface("No interface " + interfaceName + " on " + OBJECT_PATH);
        }
        Look shown = look;
        return Map.of(
                "Category", new Variant<>("Communications"),
                "Id", new Variant<>("messenger"),
                "Title", new Variant<>(title),
                "Status", new Variant<>(shown.status()),
                "IconPixmap", new Variant<>(shown.icon(), PIXMAPS),
                "AttentionIconPixmap", new Variant<>(shown.icon(), PIXMAPS),
                "ToolTip", new Variant<>(new ToolTip("", List.of(), title, shown.description()), TOOL_TIP),
                // A left click activates; there is no menu (see contextMenu).
                "ItemIsMenu", new Variant<>(false));
    }

    @Override
    public String getObjectPath() {
        return OBJECT_PATH;
    }

    /**
     * Takes the icon out of the tray: gives the name back (the watcher drops an item whose name
     * goes) and disconnects. In the background: the UI never waits for the bus.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        calls.execute(() -> {
            try {
                bus.ReleaseName(busName);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "The tray item's name was already gone", e);
            }
            connection.disconnect();
        });
        calls.shutdown();
    }

    /** What the icon shows: the count, and the icon drawn for it at each size. */
    private record Look(int unread, List<Pixmap> icon) {
        /** NeedsAttention: hosts that hide quiet items show it, some make it stand out. */
        String status() {
            return unread > 0 ? "NeedsAttention" : "Active";
        }

        String description() {
            return switch (unread) {
                case 0 -> "No unread messages";
                case 1 -> "1 unread message";
                default -> unread + " unread messages";
            };
        }
    }
}
