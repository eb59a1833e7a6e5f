package dev.messenger.loadtest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A short run of the real tool against a backend it starts in-process: the tool works end to end. */
class LoadTestSmokeTest {
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aShortSendRunDeliversEveryMessageOnceAndWritesItsResults(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("send.json");
        int exit = LoadTest.run("send", "--users", "4", "--senders", "2", "--duration", "2", "--warmup", "1",
                "--data-dir", dir.resolve("data").toString(), "--out", out.toString());
        assertEquals(0, exit, "the run passed its own exactly-once check");
        JsonObject results = Json.createReader(new StringReader(Files.readString(out))).readObject();
        assertTrue(results.getJsonNumber("accepted").longValue() > 0);
        assertEquals(results.getJsonNumber("accepted").longValue(), results.getJsonNumber("delivered_once").longValue());
        assertEquals(0, results.getJsonNumber("duplicates").longValue());
        assertTrue(results.getJsonNumber("cpu_per_message_us").doubleValue() > 0, "CPU time read from /proc");
        assertTrue(results.containsKey("baseline_empty_grpc_call"));
        assertTrue(results.containsKey("baseline_insert_commit"));
        assertTrue(results.containsKey("baseline_kafka_round_trip"));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aSmallSubscribersRunOpensEveryStreamAndDeliversToEach(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("subscribers.json");
        int exit = LoadTest.run("subscribers", "--streams", "25", "--streams-per-connection", "10", "--hold", "1",
                "--data-dir", dir.resolve("data").toString(), "--out", out.toString());
        assertEquals(0, exit, "every stream opened, every delivery arrived, none dropped");
        JsonObject results = Json.createReader(new StringReader(Files.readString(out))).readObject();
        assertEquals(25, results.getJsonNumber("opened").longValue());
        assertEquals(25, results.getJsonNumber("delivered").longValue());
        assertEquals(0, results.getJsonNumber("dropped").longValue());
        assertTrue(results.getJsonNumber("server_heap_used_mib").doubleValue() > 0, "heap read from /observe/metrics");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aSmallHistoryRunMeasuresPagesAndFindsNoSequentialScan(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("history.json");
        int exit = LoadTest.run("history", "--messages", "40000", "--big", "400", "--conversations", "20", "--samples", "20",
                "--data-dir", dir.resolve("data").toString(), "--out", out.toString());
        assertEquals(0, exit, "the plans use the indexes");
        JsonObject results = Json.createReader(new StringReader(Files.readString(out))).readObject();
        assertEquals(20, results.getJsonObject("history_deep_page").getJsonNumber("count").longValue());
        assertTrue(results.getString("plan_history").contains("messages_conversation"), results.getString("plan_history"));
        assertTrue(results.getBoolean("no_seq_scan_on_messages"));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aShortGroupsRunDeliversEveryMessageToEveryMemberOnce(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("groups.json");
        int exit = LoadTest.run("groups", "--sizes", "3,12", "--senders", "2", "--duration", "2", "--warmup", "1",
                "--data-dir", dir.resolve("data").toString(), "--out", out.toString());
        assertEquals(0, exit, "every member got every message once");
        JsonObject results = Json.createReader(new StringReader(Files.readString(out))).readObject();
        var runs = results.getJsonArray("runs").getValuesAs(JsonObject.class);
        assertEquals(List.of(3, 12), runs.stream().map(run -> run.getInt("members")).toList());
        for (JsonObject run : runs) {
            assertTrue(run.getJsonNumber("deliveries_per_s").doubleValue() > 0, run.toString());
            assertTrue(run.getJsonObject("latency_to_last_member").getJsonNumber("count").longValue() > 0, run.toString());
            assertEquals(0, run.getInt("duplicates"));
            assertEquals(0, run.getInt("missing"));
        }
    }

    @Test
    void helpExplainsTheOptions() {
        assertEquals(0, LoadTest.run("send", "--help"));
        assertEquals(2, LoadTest.run("send", "--users", "1", "--target", "127.0.0.1:1"));
        assertEquals(0, LoadTest.run("subscribers", "--help"));
        assertEquals(0, LoadTest.run("history", "--help"));
        assertEquals(2, LoadTest.run("history", "--messages", "10", "--big", "10"));
        assertEquals(2, LoadTest.run("subscribers", "--streams", "0", "--target", "127.0.0.1:1"));
    }
}
