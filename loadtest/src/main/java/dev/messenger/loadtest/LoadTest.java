package dev.messenger.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The load generator's entry point: one subcommand per scenario. */
@Command(name = "loadtest",
        mixinStandardHelpOptions = true,
        version = "messenger-loadtest 0.1",
        description = {
                "Measures the messenger backend over its real protocols (grpc-java Netty client).",
                "Without --target it starts the backend in this process on an embedded PostgreSQL and Kafka",
                "(durable: fsync and synchronous commit on, as the product runs). All traffic stays on loopback",
                "or the given target, and every run is bounded in time."},
        subcommands = {SendScenario.class, SubscribersScenario.class, HistoryScenario.class, GroupsScenario.class})
public final class LoadTest {
    private LoadTest() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (0 when the run passed its checks). */
    public static int run(String... args) {
        return new CommandLine(new LoadTest()).execute(args);
    }
}
