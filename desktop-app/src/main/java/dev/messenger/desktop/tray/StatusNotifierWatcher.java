package dev.messenger.desktop.tray;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * The desktop's register of tray items (part of the panel or a service beside it). The only part
 * an item uses: telling it the item's bus name. It drops the item by itself when that name goes.
 */
@DBusInterfaceName(StatusNotifierWatcher.INTERFACE)
public interface StatusNotifierWatcher extends DBusInterface {
    String INTERFACE = "org.kde.StatusNotifierWatcher";
    String BUS_NAME = "org.kde.StatusNotifierWatcher";
    String OBJECT_PATH = "/StatusNotifierWatcher";

    @DBusMemberName("RegisterStatusNotifierItem")
    void registerStatusNotifierItem(String service);
}
