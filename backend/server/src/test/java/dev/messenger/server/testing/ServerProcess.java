package dev.messenger.server.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code dev.messenger.server.Main} in a JVM of its own, as a deployment runs it: configured by
 * environment variables only, its output in {@code target/server-processes/<name>.log}.
 */
public final class ServerProcess {
    private static final Path LOGS = Path.of("target", "server-processes");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;

    private ServerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts the server with exactly {@code environment} (plus PATH and HOME), on this module's
     * classes and the test run's class path minus test classes (a clean {@code mvn verify} runs
     * tests before packaging, so target/libs does not exist yet).
     */
    public static ServerProcess start(String name, Map<String, String> environment) throws IOException {
        Files.createDirectories(LOGS);
        String classPath = Arrays.stream(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                        .split(File.pathSeparator))
                .filter(entry -> !entry.isBlank() && !Path.of(entry).endsWith(Path.of("target", "test-classes")))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-Xmx256m", "-cp", classPath, "dev.messenger.server.Main"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(LOGS.resolve(name + ".log").toFile());
        Map<String, String> processEnvironment = builder.environment();
        processEnvironment.keySet().retainAll(List.of("PATH", "HOME"));
        processEnvironment.putAll(environment);
        return new ServerProcess(name, builder.start());
    }

    public Process process() {
        return process;
    }

    /** Waits until {@code /observe/health} on the port answers 200; fails with the log's tail if the process exits or time runs out. */
    public void awaitHealthy(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI health = URI.create("http://127.0.0.1:" + port + "/observe/health");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail(name + " exited with " + process.exitValue() + tail());
            }
            try {
                var response = HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        fail(name + " not healthy within " + timeout + tail());
    }

    public String log() throws IOException {
        return Files.readString(LOGS.resolve(name + ".log"));
    }

    /** The last 40 lines of the process's log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(LOGS.resolve(name + ".log"));
            return "\n--- last lines of target/server-processes/" + name + ".log ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return " (no log: " + e + ")";
        }
    }
}
