package dev.messenger.platform.grpc;

import io.helidon.common.Weighted;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.http.http2.Http2FrameHeader;
import io.helidon.http.http2.Http2Headers;
import io.helidon.http.http2.Http2RstStream;
import io.helidon.http.http2.Http2Settings;
import io.helidon.http.http2.Http2StreamState;
import io.helidon.http.http2.Http2StreamWriter;
import io.helidon.http.http2.Http2WindowUpdate;
import io.helidon.http.http2.StreamFlowControl;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.Router;
import io.helidon.webserver.grpc.GrpcConfig;
import io.helidon.webserver.grpc.GrpcProtocolSelector;
import io.helidon.webserver.http2.spi.Http2SubProtocolProvider;
import io.helidon.webserver.http2.spi.Http2SubProtocolSelector;
import io.helidon.webserver.http2.spi.SubProtocolResult;

import java.util.Optional;

/**
 * Works around two Helidon 4.1.7 gRPC defects. This provider (found by Helidon's ServiceLoader,
 * registered in META-INF/services, weighted ahead of Helidon's own gRPC provider) delegates to
 * Helidon's gRPC handling, and
 * <ul>
 * <li>exposes the real HTTP/2 request headers to the code that runs while a call starts, which
 * includes every server interceptor: the {@code Metadata} Helidon hands handlers has each header's
 * <em>name</em> as its value ({@code GrpcHeadersUtil.toMetadata}), so no interceptor could read
 * {@code authorization};</li>
 * <li>hides the client's {@code grpc-accept-encoding} from Helidon, which otherwise gzips every
 * response message whenever a client accepts gzip (grpc-java clients always do). Our messages are a
 * few hundred bytes, which gzip makes larger, and it cost about 7 % of the CPU in the send
 * benchmark. A client that sends a compressed request still gets compressed responses.</li>
 * </ul>
 */
public final class RequestHeadersProtocolProvider implements Http2SubProtocolProvider<GrpcConfig>, Weighted {
    private static final ThreadLocal<Headers> CURRENT = new ThreadLocal<>();
    private static final HeaderName GRPC_ACCEPT_ENCODING = HeaderNames.create("grpc-accept-encoding");

    /**
     * Required by {@link java.util.ServiceLoader}.
     */
    public RequestHeadersProtocolProvider() {
    }

    /** A request header of the gRPC call being started on this thread; empty outside call start-up. */
    public static Optional<String> requestHeader(String name) {
        Headers headers = CURRENT.get();
        return headers == null ? Optional.empty() : headers.first(HeaderNames.create(name));
    }

    /** True while a gRPC call is being started through this provider (used to check the workaround is active). */
    public static boolean active() {
        return CURRENT.get() != null;
    }

    @Override
    public String protocolType() {
        return "grpc";
    }

    @Override
    public Class<GrpcConfig> protocolConfigType() {
        return GrpcConfig.class;
    }

    @Override
    public Http2SubProtocolSelector create(GrpcConfig config, ProtocolConfigs configs) {
        return new Selector(GrpcProtocolSelector.create());
    }

    @Override
    public double weight() {
        return Weighted.DEFAULT_WEIGHT + 10;
    }

    private record Selector(Http2SubProtocolSelector helidonGrpc) implements Http2SubProtocolSelector {
        @Override
        public SubProtocolResult subProtocol(ConnectionContext ctx, HttpPrologue prologue, Http2Headers headers,
                                             Http2StreamWriter streamWriter, int streamId, Http2Settings serverSettings,
                                             Http2Settings clientSettings, StreamFlowControl flowControl,
                                             Http2StreamState currentStreamState, Router router) {
            SubProtocolResult result = helidonGrpc.subProtocol(ctx, prologue, withoutAcceptEncoding(headers), streamWriter, streamId,
                    serverSettings, clientSettings, flowControl, currentStreamState, router);
            if (!result.supported() || result.subProtocol() == null) {
                return result;
            }
            return new SubProtocolResult(true, new HeadersExposingHandler(result.subProtocol(), headers.httpHeaders()));
        }
    }

    /**
     * The request headers without {@code grpc-accept-encoding}. Helidon's gRPC handler reads only the
     * HTTP headers of what it is given (the route comes from the prologue), so a copy without the
     * pseudo-headers is enough.
     */
    private static Http2Headers withoutAcceptEncoding(Http2Headers headers) {
        if (!headers.httpHeaders().contains(GRPC_ACCEPT_ENCODING)) {
            return headers;
        }
        WritableHeaders<?> copy = WritableHeaders.create(headers.httpHeaders());
        copy.remove(GRPC_ACCEPT_ENCODING);
        return Http2Headers.create(copy);
    }

    private record HeadersExposingHandler(Http2SubProtocolSelector.SubProtocolHandler delegate, Headers headers)
            implements Http2SubProtocolSelector.SubProtocolHandler {
        @Override
        public void init() {
            // Helidon starts the call (and runs the interceptors) synchronously inside init().
            CURRENT.set(headers);
            try {
                delegate.init();
            } finally {
                CURRENT.remove();
            }
        }

        @Override
        public Http2StreamState streamState() {
            return delegate.streamState();
        }

        @Override
        public void rstStream(Http2RstStream rstStream) {
            delegate.rstStream(rstStream);
        }

        @Override
        public void windowUpdate(Http2WindowUpdate windowUpdate) {
            delegate.windowUpdate(windowUpdate);
        }

        @Override
        public void data(Http2FrameHeader header, BufferData data) {
            delegate.data(header, data);
        }
    }
}
