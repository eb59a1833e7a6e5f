package dev.messenger.server.deploy;

import dev.messenger.api.v1.GetHistoryRequest;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.client.MessengerChannels;
import dev.messenger.server.testing.ServerProcess;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zero-setup default survives a crash: a server on the embedded PostgreSQL and Kafka is killed
 * with SIGKILL (its PostgreSQL keeps running, orphaned), and a new server on the same data
 * directory stops the orphan, starts, and has every message that was accepted before the crash.
 * The data directories are private to their owner.
 */
class CrashRecoveryTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @Test
    @Timeout(240)
    void aServerKilledWithSigkillIsFollowedByOneThatStartsOnTheSameData(@TempDir Path home) throws Exception {
        Map<String, String> environment = Map.of(
                "MESSENGER_HOME", home.toString(),
                "SERVER_HOST", "127.0.0.1",
                "SERVER_PORT", String.valueOf(TestBackend.freePort()),
                "USERS_PASSWORD_dash_HASH_MEMORY_dash_KIB", "1024");
        int port = Integer.parseInt(environment.get("SERVER_PORT"));
        ServerProcess first = ServerProcess.start("crash-first", environment);
        first.awaitHealthy(port, START_TIMEOUT);

        TestUser alice;
        TestUser bob;
        ManagedChannel channel = MessengerChannels.plaintext("127.0.0.1:" + port);
        try {
            alice = TestUser.create(channel, "crash");
            bob = TestUser.create(channel, "crash");
            alice.send(channel, bob, "accepted before the crash", "crash-1");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (Path dir : List.of(home, home.resolve("postgres"), home.resolve("kafka"))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir + " is private");
        }

        // pg_ctl detaches the postmaster from the server's process tree; its data directory names it.
        long postmasterPid = Long.parseLong(Files.readAllLines(home.resolve("postgres").resolve("postmaster.pid")).getFirst().strip());
        ProcessHandle postgres = ProcessHandle.of(postmasterPid).orElseThrow();

        first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(first.process().waitFor(10, TimeUnit.SECONDS));
        assertTrue(postgres.isAlive(), "the killed server's PostgreSQL was left running");

        long start = System.nanoTime();
        ServerProcess second = ServerProcess.start("crash-second", environment);
        try {
            second.awaitHealthy(port, START_TIMEOUT);
            long restartMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("[crash recovery] a new server was healthy %,d ms after starting on the killed server's data%n", restartMs);
            assertTrue(second.log().contains("still running on"), "the start says what it found" + second.tail());
            assertFalse(postgres.isAlive(), "the orphaned PostgreSQL was stopped");

            ManagedChannel again = MessengerChannels.plaintext("127.0.0.1:" + port);
            try {
                var history = bob.as(MessagesServiceGrpc.newBlockingStub(again)).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getHistory(GetHistoryRequest.newBuilder().setPeerId(alice.id().toString()).build());
                assertEquals(List.of("accepted before the crash"),
                        history.getMessagesList().stream().map(Message::getText).toList());
            } finally {
                again.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            second.process().destroy();
            if (!second.process().waitFor(30, TimeUnit.SECONDS)) {
                second.process().descendants().forEach(ProcessHandle::destroyForcibly);
                second.process().destroyForcibly();
            }
        }
    }
}
