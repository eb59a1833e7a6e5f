package dev.messenger.desktop.connection;

/** How the live feed stands, as the status bar shows it. */
public enum ConnectionStatus {
    CONNECTING("Connecting…"),
    CONNECTED("Connected"),
    RECONNECTING("Reconnecting…"),
    OFFLINE("Offline");

    private final String label;

    ConnectionStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
