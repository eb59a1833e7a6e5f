package dev.messenger.desktop.ui;

import dev.messenger.server.MessengerServer;
import dev.messenger.server.testing.TestBackend;

import java.util.Map;

/** A server of the test's own on a fixed port (over the shared database and Kafka), to stop and start again. */
final class OwnServer implements AutoCloseable {
    private final TestBackend backend;
    private final int port = TestBackend.freePort();
    private MessengerServer server;

    OwnServer(TestBackend backend) {
        this.backend = backend;
        start();
    }

    String target() {
        return "127.0.0.1:" + port;
    }

    void start() {
        server = MessengerServer.start(backend.config(Map.of("server.port", Integer.toString(port))));
    }

    void stop() {
        server.close();
    }

    @Override
    public void close() {
        server.close();
    }
}
