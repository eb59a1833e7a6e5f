package dev.messenger.desktop;

import org.freedesktop.dbus.bin.EmbeddedDBusDaemon;
import org.freedesktop.dbus.connections.BusAddress;
import org.freedesktop.dbus.connections.transports.TransportBuilder;

/** A private D-Bus daemon (dbus-java's embedded one) for tests that play the desktop's side of a protocol. */
public final class TestBus implements AutoCloseable {
    private final EmbeddedDBusDaemon daemon;
    private final String address;

    private TestBus(EmbeddedDBusDaemon daemon, String address) {
        this.daemon = daemon;
        this.address = address;
    }

    public static TestBus start() throws Exception {
        BusAddress busAddress = TransportBuilder.createWithDynamicSession(TransportBuilder.getRegisteredBusTypes().getFirst())
                .configure().build().getBusAddress();
        EmbeddedDBusDaemon daemon = new EmbeddedDBusDaemon(BusAddress.of(busAddress).getListenerAddress());
        daemon.startInBackgroundAndWait(10_000);
        return new TestBus(daemon, busAddress.toString());
    }

    /** The bus's address, as {@code DBUS_SESSION_BUS_ADDRESS} would give it. */
    public String address() {
        return address;
    }

    @Override
    public void close() throws Exception {
        daemon.close();
    }
}
