package dev.messenger.desktop.notifications;

/**
 * The desktop's notifications once they are known to work, the app's own popups until then and
 * wherever the desktop has none. Finding the desktop's service takes a D-Bus round trip or more,
 * so it is looked for in the background while the window starts.
 */
public final class ChosenNotifier implements Notifier, AutoCloseable {
    private final Notifier popups;
    private volatile DesktopNotifications desktop;
    private volatile boolean enabled = true;
    private volatile boolean sound = true;
    private boolean closed;

    public ChosenNotifier(Notifier popups) {
        this.popups = popups;
    }

    /** From now on, notifications go to the desktop's service (closed at once if this already is). */
    public synchronized void useDesktop(DesktopNotifications service) {
        if (closed) {
            service.close();
            return;
        }
        desktop = service;
    }

    /** Off: nothing is announced (the unread badges still count). */
    public void setEnabled(boolean on) {
        enabled = on;
    }

    /** The desktop's new-message sound with each notification; the app's own popups have none. */
    public void setSound(boolean on) {
        sound = on;
    }

    @Override
    public void show(Notification notification) {
        if (!enabled) {
            return;
        }
        DesktopNotifications service = desktop;
        if (service != null) {
            service.show(notification, sound);
        } else {
            popups.show(notification);
        }
    }

    @Override
    public void closeAll() {
        popups.closeAll();
        DesktopNotifications service = desktop;
        if (service != null) {
            service.closeAll();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        popups.closeAll();
        DesktopNotifications service = desktop;
        if (service != null) {
            service.close();
        }
    }
}
