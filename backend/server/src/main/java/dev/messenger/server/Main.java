package dev.messenger.server;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/** Starts the messenger server with the configuration from application.yaml, environment and system properties. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        MessengerServer server;
        try {
            server = MessengerServer.start(Config.create());
        } catch (RuntimeException | Error e) {
            System.getLogger(Main.class.getName()).log(System.Logger.Level.ERROR, "Messenger could not start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(server::close));
    }
}
