package dev.messenger.platform.helidon;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The other half of Helidon defect 9: Helidon logs every request message it cannot parse as SEVERE
 * with a stack trace, so anyone can fill the log by sending garbage. {@link UnreadableRequestInterceptor}
 * answers those calls and logs them at FINE; this drops Helidon's record for them, and only for
 * them (a parse failure from a protobuf marshaller). Everything else Helidon's gRPC handler logs
 * still appears.
 */
public final class UnreadableRequestLogFilter implements Filter {
    private static final String HELIDON_GRPC_HANDLER = "io.helidon.webserver.grpc.GrpcProtocolHandler";

    private UnreadableRequestLogFilter() {
    }

    /** Installs the filter; hold on to the logger returned (JUL forgets the settings of loggers nobody references). */
    public static Logger install() {
        Logger logger = Logger.getLogger(HELIDON_GRPC_HANDLER);
        logger.setFilter(new UnreadableRequestLogFilter());
        return logger;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(record.getMessage() != null && record.getMessage().startsWith("Failed to process grpc request")
                && record.getThrown() instanceof StatusRuntimeException failure
                && failure.getStatus().getCode() == Status.Code.INTERNAL
                && isParseFailure(failure));
    }

    /** grpc-java's protobuf marshaller reports "Invalid protobuf byte sequence" with the parser's exception as the cause. */
    private static boolean isParseFailure(StatusRuntimeException failure) {
        return failure.getCause() instanceof com.google.protobuf.InvalidProtocolBufferException
                || "Invalid protobuf byte sequence".equals(failure.getStatus().getDescription());
    }
}
