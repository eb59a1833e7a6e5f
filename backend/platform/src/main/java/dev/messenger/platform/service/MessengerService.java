package dev.messenger.platform.service;

import io.grpc.ServerServiceDefinition;
import io.helidon.webserver.http.HttpService;

import java.util.List;

/**
 * One of the three services as the server composes it: its gRPC services, its REST routes, and
 * the background work it owns. Which services run in a process is configuration.
 */
public interface MessengerService extends AutoCloseable {
    String name();

    List<ServerServiceDefinition> grpcServices();

    HttpService restRoutes();

    /** Starts background work (relays, consumers); called once the server accepts calls. */
    default void start() {
    }

    /**
     * Ends calls that would keep the web server from stopping (live feeds: their clients
     * resubscribe elsewhere or after the restart); called first when the server stops.
     */
    default void endLongLivedCalls() {
    }

    /** Stops background work; called after the web server has stopped, so in-flight calls could finish. */
    @Override
    default void close() {
    }
}
