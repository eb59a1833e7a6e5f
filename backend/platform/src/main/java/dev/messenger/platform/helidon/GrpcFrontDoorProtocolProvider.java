package dev.messenger.platform.helidon;

import io.helidon.common.Weighted;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.http.http2.FlowControl;
import io.helidon.http.http2.Http2Headers;
import io.helidon.http.http2.Http2Settings;
import io.helidon.http.http2.Http2StreamState;
import io.helidon.http.http2.Http2StreamWriter;
import io.helidon.http.http2.StreamFlowControl;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.Router;
import io.helidon.webserver.grpc.GrpcConfig;
import io.helidon.webserver.grpc.GrpcProtocolSelector;
import io.helidon.webserver.http2.spi.Http2SubProtocolProvider;
import io.helidon.webserver.http2.spi.Http2SubProtocolSelector;
import io.helidon.webserver.http2.spi.SubProtocolResult;

/**
 * Every gRPC request passes through here before Helidon's own gRPC handler (found by Helidon's
 * ServiceLoader, registered in META-INF/services, weighted ahead of Helidon's provider, and given
 * the same {@code grpc} protocol configuration). It works around defects of Helidon 4.5.0, numbered
 * as in ARCHITECTURE.md's table: 7 here, 8 and 11 in {@link GrpcStreamGuard}, which watches every
 * stream.
 *
 * <p>Helidon defect 7 (ARCHITECTURE.md, "Helidon's gRPC server"): Helidon gzips every response
 * message whenever a client merely <em>accepts</em> gzip, which grpc-java clients always do. Our
 * messages are a few hundred bytes, which gzip makes larger, and it cost about 7 % of the CPU in
 * the send benchmark. Helidon's own switch ({@code enable-compression: false}) stops that but
 * makes compressed <em>requests</em> hang, so instead this hides the client's
 * {@code grpc-accept-encoding} from Helidon: responses are identity-encoded unless the request
 * itself was compressed, and compressed requests are still understood.
 */
public final class GrpcFrontDoorProtocolProvider implements Http2SubProtocolProvider<GrpcConfig>, Weighted {
    private static final HeaderName GRPC_ACCEPT_ENCODING = HeaderNames.create("grpc-accept-encoding");
    private static final HeaderName GRPC_ENCODING = HeaderNames.create("grpc-encoding");

    /**
     * Required by {@link java.util.ServiceLoader}.
     */
    public GrpcFrontDoorProtocolProvider() {
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
        return new Selector(GrpcProtocolSelector.create(config), config.maxReadBufferSize());
    }

    @Override
    public double weight() {
        return Weighted.DEFAULT_WEIGHT + 10;
    }

    private record Selector(Http2SubProtocolSelector helidonGrpc, int maxMessageBytes) implements Http2SubProtocolSelector {
        @Override
        public SubProtocolResult subProtocol(ConnectionContext ctx, HttpPrologue prologue, Http2Headers headers,
                                             Http2StreamWriter streamWriter, int streamId, Http2Settings serverSettings,
                                             Http2Settings clientSettings, StreamFlowControl flowControl,
                                             Http2StreamState currentStreamState, Router router) {
            SubProtocolResult result = helidonGrpc.subProtocol(ctx, prologue, withoutAcceptEncoding(headers), streamWriter,
                    streamId, serverSettings, clientSettings, flowControl, currentStreamState, router);
            if (!result.supported() || result.subProtocol() == null) {
                return result;
            }
            boolean clientEnded = currentStreamState == Http2StreamState.HALF_CLOSED_REMOTE
                    || currentStreamState == Http2StreamState.CLOSED;
            return new SubProtocolResult(true, new GrpcStreamGuard(result.subProtocol(), streamWriter, streamId,
                    flowControl == null ? FlowControl.Outbound.NOOP : flowControl.outbound(), maxMessageBytes,
                    headers.httpHeaders().contains(GRPC_ENCODING), clientEnded));
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
}
