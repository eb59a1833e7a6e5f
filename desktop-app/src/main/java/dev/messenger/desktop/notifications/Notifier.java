package dev.messenger.desktop.notifications;

/** Tells the user about a new message outside the open conversation, without taking the keyboard. */
public interface Notifier {
    /** Called on the JavaFX thread. */
    void show(Notification notification);

    /** Takes back every notification still showing (sign-out, exit). */
    void closeAll();
}
