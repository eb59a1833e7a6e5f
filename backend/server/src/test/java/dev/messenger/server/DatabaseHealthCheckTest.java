package dev.messenger.server;

import dev.messenger.platform.db.Database;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.TestBackend;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(BackendExtension.class)
class DatabaseHealthCheckTest {
    @Test
    void upWhileTheDatabaseAnswers(TestBackend backend) {
        try (DbClient db = Database.connect(Config.empty(),
                new Database.Coordinates(backend.jdbcUrl(), backend.dbUsername(), backend.dbPassword()))) {
            assertEquals(HealthCheckResponse.Status.UP, new DatabaseHealthCheck(db, Duration.ofSeconds(5)).call().status());
        }
    }

    /** A database that accepts connections and never answers must not hold the health endpoint. */
    @Test
    @Timeout(20)
    void downWithinTheTimeoutWhenTheDatabaseHangs() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            Config lazyPool = Config.just(ConfigSources.create(Map.of("connection.initializationFailTimeout", "-1")));
            DbClient db = Database.connect(lazyPool,
                    new Database.Coordinates("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/none", "nobody", ""));
            try {
                long start = System.nanoTime();
                HealthCheckResponse response = new DatabaseHealthCheck(db, Duration.ofMillis(500)).call();
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(HealthCheckResponse.Status.DOWN, response.status());
                assertTrue(tookMs < 3_000, "answered after " + tookMs + " ms");
                assertTrue(String.valueOf(response.details().get("error")).contains("500 ms"), response.details().toString());
            } finally {
                // Unblock the pool's connection attempts before closing it.
                for (Socket socket : List.copyOf(accepted)) {
                    socket.close();
                }
                db.close();
            }
        }
    }
}
