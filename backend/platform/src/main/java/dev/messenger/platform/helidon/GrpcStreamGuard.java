package dev.messenger.platform.helidon;

import io.grpc.Status;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import io.helidon.http.http2.FlowControl;
import io.helidon.http.http2.Http2ErrorCode;
import io.helidon.http.http2.Http2Flag;
import io.helidon.http.http2.Http2FrameHeader;
import io.helidon.http.http2.Http2FrameTypes;
import io.helidon.http.http2.Http2Headers;
import io.helidon.http.http2.Http2RstStream;
import io.helidon.http.http2.Http2StreamState;
import io.helidon.http.http2.Http2StreamWriter;
import io.helidon.http.http2.Http2WindowUpdate;
import io.helidon.webserver.http2.spi.Http2SubProtocolSelector;

import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stands between one HTTP/2 stream and Helidon's gRPC handler for it (defects 8, 9 and 11 in
 * ARCHITECTURE.md's table).
 *
 * <p>Defects 8 and 9: Helidon drops a request message longer than {@code max-read-buffer-size}
 * without any status, and answers broken framing (a compressed flag without a
 * {@code grpc-encoding}, unknown flags, a request that ends inside a message or has no message at
 * all) with nothing or with INTERNAL, so calls hang until the client's deadline or look like server faults. This reads the
 * 5-byte prefix of every message as it arrives and, at the first such fault, answers itself
 * (RESOURCE_EXHAUSTED for a message over the limit, INVALID_ARGUMENT for the rest), cancels
 * Helidon's call and drops the rest of the stream's data: no buffer of a declared size is ever
 * allocated, whatever the client claims.
 *
 * <p>Defect 11: a call Helidon closed before the client ended its side is reported half-closed, not
 * closed, until the client's END_STREAM or RST_STREAM, so the client's late request is read and
 * dropped instead of being a connection error.
 */
final class GrpcStreamGuard implements Http2SubProtocolSelector.SubProtocolHandler {
    private static final Logger LOG = Logger.getLogger(GrpcStreamGuard.class.getName());
    private static final int PREFIX_BYTES = 5;
    private static final Status NO_MESSAGE = Status.INVALID_ARGUMENT.withDescription("The request has no message");

    private final Http2SubProtocolSelector.SubProtocolHandler helidonGrpc;
    private final Http2StreamWriter writer;
    private final int streamId;
    private final FlowControl.Outbound outbound;
    private final int maxMessageBytes;
    private final boolean compressedRequests;
    private final byte[] prefix = new byte[PREFIX_BYTES];
    private int prefixBytesRead;
    private long messageBytesLeft;
    private int messagesSeen;
    private volatile boolean clientEnded;
    private volatile boolean refused;

    GrpcStreamGuard(Http2SubProtocolSelector.SubProtocolHandler helidonGrpc, Http2StreamWriter writer, int streamId,
                    FlowControl.Outbound outbound, int maxMessageBytes, boolean compressedRequests, boolean clientEnded) {
        this.helidonGrpc = helidonGrpc;
        this.writer = writer;
        this.streamId = streamId;
        this.outbound = outbound;
        this.maxMessageBytes = maxMessageBytes;
        this.compressedRequests = compressedRequests;
        this.clientEnded = clientEnded;
    }

    @Override
    public void init() {
        helidonGrpc.init();
    }

    @Override
    public Http2StreamState streamState() {
        Http2StreamState state = refused ? Http2StreamState.CLOSED : helidonGrpc.streamState();
        if (state == Http2StreamState.CLOSED && !clientEnded) {
            return Http2StreamState.HALF_CLOSED_LOCAL;
        }
        if (state == Http2StreamState.HALF_CLOSED_LOCAL && clientEnded) {
            return Http2StreamState.CLOSED;
        }
        return state;
    }

    @Override
    public void rstStream(Http2RstStream rstStream) {
        clientEnded = true;
        if (!refused) {
            helidonGrpc.rstStream(rstStream);
        }
    }

    @Override
    public void windowUpdate(Http2WindowUpdate windowUpdate) {
        helidonGrpc.windowUpdate(windowUpdate);
    }

    @Override
    public void data(Http2FrameHeader header, BufferData data) {
        boolean endOfStream = header.flags(Http2FrameTypes.DATA).endOfStream();
        if (refused) {
            data.skip(data.available());
        } else {
            Status malformed = malformedFraming(data, endOfStream);
            if (malformed != null) {
                refuse(malformed);
            } else {
                helidonGrpc.data(header, data);
            }
        }
        if (endOfStream) {
            clientEnded = true;
        }
    }

    /**
     * Follows the message framing through this frame's bytes, without consuming them (Helidon
     * reads them next): a 1-byte compression flag (0, or 1 when the request declared a
     * {@code grpc-encoding}), a 4-byte length up to the limit, that many bytes. The status to refuse
     * the call with, or null when the framing is sound so far.
     */
    private Status malformedFraming(BufferData data, boolean endOfStream) {
        int length = data.available();
        int position = 0;
        while (position < length) {
            if (messageBytesLeft > 0) {
                int skipped = (int) Math.min(messageBytesLeft, length - position);
                position += skipped;
                messageBytesLeft -= skipped;
                continue;
            }
            prefix[prefixBytesRead++] = (byte) data.get(position++);
            if (prefixBytesRead == PREFIX_BYTES) {
                prefixBytesRead = 0;
                if (prefix[0] != 0 && !(prefix[0] == 1 && compressedRequests)) {
                    return Status.INVALID_ARGUMENT.withDescription(prefix[0] == 1
                            ? "A compressed request message needs a grpc-encoding header"
                            : "Malformed request message: unknown flags " + (prefix[0] & 0xff));
                }
                long declared = (prefix[1] & 0xffL) << 24 | (prefix[2] & 0xff) << 16 | (prefix[3] & 0xff) << 8 | (prefix[4] & 0xff);
                if (declared > maxMessageBytes) {
                    return Status.RESOURCE_EXHAUSTED.withDescription(
                            "The request message (" + declared + " bytes) is larger than the limit of " + maxMessageBytes + " bytes");
                }
                messageBytesLeft = declared;
                messagesSeen++;
            }
        }
        if (endOfStream && (messageBytesLeft > 0 || prefixBytesRead > 0)) {
            return Status.INVALID_ARGUMENT.withDescription("The request ended in the middle of a message");
        }
        if (endOfStream && messagesSeen == 0) {
            // Every method of ours takes one request message; grpc-java would answer INTERNAL.
            return NO_MESSAGE;
        }
        return null;
    }

    /** Answers with the status unless the call was already answered, and cancels Helidon's call. */
    private void refuse(Status status) {
        refused = true;
        Http2StreamState state = helidonGrpc.streamState();
        if (state != Http2StreamState.CLOSED && state != Http2StreamState.HALF_CLOSED_LOCAL) {
            LOG.fine(() -> "Refused a gRPC request: " + status);
            writeTrailers(status);
        }
        helidonGrpc.rstStream(new Http2RstStream(Http2ErrorCode.CANCEL));
    }

    /** A trailers-only response: the status, and the end of the stream from our side. */
    private void writeTrailers(Status status) {
        WritableHeaders<?> headers = WritableHeaders.create();
        headers.set(HeaderNames.CONTENT_TYPE, "application/grpc");
        headers.set(HeaderNames.create("grpc-status"), String.valueOf(status.getCode().value()));
        headers.set(HeaderNames.create("grpc-message"), status.getDescription());
        Http2Headers http2Headers = Http2Headers.create(headers);
        http2Headers.status(io.helidon.http.Status.OK_200);
        try {
            writer.writeHeaders(http2Headers, streamId,
                    Http2Flag.HeaderFlags.create(Http2Flag.END_OF_HEADERS | Http2Flag.END_OF_STREAM), outbound);
        } catch (UncheckedIOException e) {
            LOG.log(Level.FINE, "Could not answer a refused gRPC request; the client is gone", e);
        }
    }
}
