package dev.messenger.desktop.notifications;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

import java.util.List;
import java.util.Map;

/**
 * The desktop notification service as the Desktop Notifications Specification defines it
 * (https://specifications.freedesktop.org/notification-spec/), the parts this app uses. dbus-java
 * maps the calls and signals by these names and signatures.
 */
@DBusInterfaceName(FreedesktopNotifications.INTERFACE)
public interface FreedesktopNotifications extends DBusInterface {
    String INTERFACE = "org.freedesktop.Notifications";
    String BUS_NAME = "org.freedesktop.Notifications";
    String OBJECT_PATH = "/org/freedesktop/Notifications";
    /** The action a click on the notification's body invokes. */
    String DEFAULT_ACTION = "default";

    /** Shows a notification (or replaces {@code replacesId}'s); returns its id. */
    @DBusMemberName("Notify")
    UInt32 show(String appName, UInt32 replacesId, String appIcon, String summary, String body, List<String> actions,
                Map<String, Variant<?>> hints, int expireTimeoutMillis);

    @DBusMemberName("CloseNotification")
    void close(UInt32 id);

    @DBusMemberName("GetCapabilities")
    List<String> capabilities();

    /** The user clicked the notification (or one of its actions). */
    class ActionInvoked extends DBusSignal {
        private final UInt32 id;
        private final String actionKey;

        public ActionInvoked(String path, UInt32 id, String actionKey) throws DBusException {
            super(path, id, actionKey);
            this.id = id;
            this.actionKey = actionKey;
        }

        public UInt32 id() {
            return id;
        }

        public String actionKey() {
            return actionKey;
        }
    }

    /** The notification went away (expired, dismissed, closed by a call). */
    class NotificationClosed extends DBusSignal {
        private final UInt32 id;
        private final UInt32 reason;

        public NotificationClosed(String path, UInt32 id, UInt32 reason) throws DBusException {
            super(path, id, reason);
            this.id = id;
            this.reason = reason;
        }

        public UInt32 id() {
            return id;
        }

        public UInt32 reason() {
            return reason;
        }
    }
}
