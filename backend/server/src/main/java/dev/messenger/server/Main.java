package dev.messenger.server;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/**
 * Starts the messenger server with the configuration from application.yaml, environment and system
 * properties; or, with {@code messenger.mode=migrate}, only migrates the database and exits.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        String mode = config.get("messenger.mode").asString().get().strip();
        switch (mode) {
            case "migrate" -> System.exit(migrate(config));
            case "serve", "" -> serve(config);
            default -> {
                log().log(System.Logger.Level.ERROR, "Unknown messenger.mode ''{0}''; known: serve, migrate", mode);
                System.exit(2);
            }
        }
    }

    private static void serve(Config config) {
        MessengerServer server;
        try {
            server = MessengerServer.start(config);
        } catch (RuntimeException | Error e) {
            log().log(System.Logger.Level.ERROR, "Messenger could not start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(server::close));
    }

    /** The exit status of the migrate mode: 0 when the schema is up to date. */
    static int migrate(Config config) {
        try {
            MessengerServer.migrate(config);
            log().log(System.Logger.Level.INFO, "Migrations applied; exiting (messenger.mode=migrate)");
            return 0;
        } catch (RuntimeException | Error e) {
            log().log(System.Logger.Level.ERROR, "Messenger could not migrate the database", e);
            return 1;
        }
    }

    private static System.Logger log() {
        return System.getLogger(Main.class.getName());
    }
}
