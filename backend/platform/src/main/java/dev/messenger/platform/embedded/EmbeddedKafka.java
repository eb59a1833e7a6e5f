package dev.messenger.platform.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.server.SharedServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.ServerSocketFactory;
import org.apache.kafka.server.fault.LoggingFaultHandler;
import scala.Tuple2;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), running inside
 * this JVM and listening on loopback only. Meant for development and tests.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class.getName());

    /*
     * The broker logs every step of startup and shutdown at INFO. These loggers are held here because
     * java.util.logging keeps loggers only weakly: a level set on a logger nobody references is lost
     * when the logger is collected.
     */
    private static final List<Logger> KAFKA_LOGGERS = List.of(
            Logger.getLogger("kafka"),
            Logger.getLogger("org.apache.kafka"),
            Logger.getLogger("state.change.logger"));

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final long STARTUP_TIMEOUT_MS = 60_000;

    private final BrokerServer broker;
    private final ControllerServer controller;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafka(BrokerServer broker, ControllerServer controller, String bootstrapServers) {
        this.broker = broker;
        this.controller = controller;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker whose log and metadata live in dataDir (created and formatted on first use,
     * reused afterwards so data survives restarts). port 0 picks a free port; a given port is reused
     * so a test can stop and start the broker on the same address. Blocks until the broker accepts
     * clients.
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        KAFKA_LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
        long startedAt = System.nanoTime();
        Path dir = dataDir.toAbsolutePath();
        KafkaConfig config = new KafkaConfig(brokerProperties(dir, port), false);
        formatIfNew(dir);

        Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> logDirs =
                KafkaRaftServer.initializeLogDirs(config, org.slf4j.LoggerFactory.getLogger(EmbeddedKafka.class), "");
        String clusterId = logDirs._1().clusterId().orElseThrow();

        // The controller listens on an ephemeral port; the voter set is completed from the port it
        // actually bound, so there is no window in which another process can take a pre-picked port.
        CompletableFuture<Map<Integer, InetSocketAddress>> voters = new CompletableFuture<>();
        SharedServer shared = new SharedServer(
                config,
                logDirs._1(),
                Time.SYSTEM,
                Server.initializeMetrics(config, Time.SYSTEM, clusterId),
                voters,
                List.of(),
                // Kafka's standard handlers halt the JVM on a fatal fault, which would take the
                // application or the whole test run down with it; log instead, so a failed startup
                // surfaces as an exception from start().
                (name, fatal, action) -> new LoggingFaultHandler(name, action),
                ServerSocketFactory.INSTANCE);
        ControllerServer controller = new ControllerServer(shared, KafkaRaftServer.configSchema(), logDirs._2());
        controller.socketServerFirstBoundPortFuture().thenAccept(
                controllerPort -> voters.complete(Map.of(NODE_ID, new InetSocketAddress(HOST, controllerPort))));
        BrokerServer broker = new BrokerServer(shared);
        try {
            // The controller must come first: the broker registers with it during startup.
            controller.startup();
            broker.startup();
        } catch (Exception e) {
            // Kafka rethrows the cause of a failed startup wait, which may be a checked TimeoutException.
            // A failed broker has already shut itself down, but the controller would keep running.
            controller.shutdown();
            // Kafka wraps the interesting failure (a port in use, a timeout) several levels deep.
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalStateException("Embedded Kafka on " + HOST + ":" + port + " with data in " + dir
                    + " failed to start (startup is limited to " + STARTUP_TIMEOUT_MS / 1000 + " s): " + root, e);
        }

        int boundPort = broker.boundPort(ListenerName.normalised(CLIENT_LISTENER));
        EmbeddedKafka kafka = new EmbeddedKafka(broker, controller, HOST + ":" + boundPort);
        LOG.info(() -> "Embedded Kafka cluster " + clusterId + " listening on " + kafka.bootstrapServers
                + " with data in " + dir + ", started in " + (System.nanoTime() - startedAt) / 1_000_000 + " ms");
        return kafka;
    }

    /** host:port for bootstrap.servers, on 127.0.0.1. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker and waits for it to shut down; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // The broker goes first so its controlled shutdown can still reach the controller.
        broker.shutdown();
        controller.shutdown();
        broker.awaitShutdown();
        controller.awaitShutdown();
        LOG.info(() -> "Embedded Kafka on " + bootstrapServers + " stopped");
    }

    private static Properties brokerProperties(Path dir, int port) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        // A static voter set (kraft.version 0) stores no controller address on disk, so the
        // controller may bind a different ephemeral port on every start. The real port replaces
        // this placeholder once the controller has bound it.
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":0");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", CLIENT_LISTENER + "://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":0");
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        props.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", dir.toString());
        props.put("num.partitions", "6");
        props.put("auto.create.topics.enable", "false");
        // Internal topics default to three replicas, which a single node can never host.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // The default 3 s wait for more members before a new group's first rebalance only slows tests down.
        props.put("group.initial.rebalance.delay.ms", "0");
        // Bounds every wait inside controller and broker startup, which otherwise wait forever.
        props.put("server.max.startup.time.ms", String.valueOf(STARTUP_TIMEOUT_MS));
        // After a crash the controller keeps the dead broker's registration until its session
        // expires (default 9 s), and the restarted broker waits for that. With the broker in the
        // same process as its only controller, a short session loses nothing.
        props.put("broker.session.timeout.ms", "2000");
        props.put("broker.heartbeat.interval.ms", "500");
        return props;
    }

    /** Formats dir with a new cluster id unless an earlier start already did; the id then lives in meta.properties. */
    private static void formatIfNew(Path dir) {
        if (Files.exists(dir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            return;
        }
        try {
            PrivateDirectories.create(dir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .addDirectory(dir.toString())
                    .setMetadataLogDirectory(dir.toString())
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data directory " + dir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka data directory " + dir, e);
        }
    }
}
