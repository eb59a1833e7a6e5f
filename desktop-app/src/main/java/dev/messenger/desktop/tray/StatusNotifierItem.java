package dev.messenger.desktop.tray;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

import java.util.List;

/**
 * A tray item as the StatusNotifierItem specification defines it
 * (https://specifications.freedesktop.org/status-notifier-item-spec/), under the interface name
 * every host actually uses, KDE's. The methods are what a host calls on the app; the properties
 * are read through org.freedesktop.DBus.Properties, which {@link TrayIcon} answers itself, so that
 * Get and GetAll read one consistent state and each value's signature is spelled out.
 */
@DBusInterfaceName(StatusNotifierItem.INTERFACE)
public interface StatusNotifierItem extends DBusInterface {
    String INTERFACE = "org.kde.StatusNotifierItem";
    String OBJECT_PATH = "/StatusNotifierItem";
    /** The bus name's prefix: the item owns {@code org.kde.StatusNotifierItem-<pid>-<n>}. */
    String BUS_NAME_PREFIX = "org.kde.StatusNotifierItem-";

    /** A left click (x and y: where on the screen, which the app does not need). */
    @DBusMemberName("Activate")
    void activate(int x, int y);

    /** A middle click. */
    @DBusMemberName("SecondaryActivate")
    void secondaryActivate(int x, int y);

    /** A right click, on an item without a com.canonical.dbusmenu menu. */
    @DBusMemberName("ContextMenu")
    void contextMenu(int x, int y);

    /** The mouse wheel over the item; orientation is "horizontal" or "vertical". */
    @DBusMemberName("Scroll")
    void scroll(int delta, String orientation);

    /** One image of an icon: ARGB32, row by row, each pixel's four bytes in network byte order. */
    final class Pixmap extends Struct {
        @Position(0)
        private final int width;
        @Position(1)
        private final int height;
        @Position(2)
        private final byte[] argb;

        public Pixmap(int width, int height, byte[] argb) {
            this.width = width;
            this.height = height;
            this.argb = argb;
        }

        public int width() {
            return width;
        }

        public int height() {
            return height;
        }

        public byte[] argb() {
            return argb;
        }
    }

    /** The item's tooltip: an icon (by name or as pixmaps; empty for the item's own), a title and a text. */
    final class ToolTip extends Struct {
        @Position(0)
        private final String iconName;
        @Position(1)
        private final List<Pixmap> icon;
        @Position(2)
        private final String title;
        @Position(3)
        private final String description;

        public ToolTip(String iconName, List<Pixmap> icon, String title, String description) {
            this.iconName = iconName;
            this.icon = icon;
            this.title = title;
            this.description = description;
        }
    }

    /** IconPixmap changed: the host reads it again. */
    class NewIcon extends DBusSignal {
        public NewIcon(String path) throws DBusException {
            super(path);
        }
    }

    /** AttentionIconPixmap changed. */
    class NewAttentionIcon extends DBusSignal {
        public NewAttentionIcon(String path) throws DBusException {
            super(path);
        }
    }

    /** ToolTip changed. */
    class NewToolTip extends DBusSignal {
        public NewToolTip(String path) throws DBusException {
            super(path);
        }
    }

    /** Status changed, to the value it carries. */
    class NewStatus extends DBusSignal {
        private final String status;

        public NewStatus(String path, String status) throws DBusException {
            super(path, status);
            this.status = status;
        }

        public String status() {
            return status;
        }
    }
}
