package dev.messenger.server.testing;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.http2.Http2Flag;
import io.helidon.http.http2.Http2FrameData;
import io.helidon.http.http2.Http2FrameHeader;
import io.helidon.http.http2.Http2FrameTypes;
import io.helidon.http.http2.Http2Headers;
import io.helidon.http.http2.Http2HuffmanDecoder;
import io.helidon.http.http2.Http2Priority;
import io.helidon.http.http2.Http2RstStream;
import io.helidon.http.http2.Http2Stream;
import io.helidon.http.http2.Http2StreamState;
import io.helidon.http.http2.Http2WindowUpdate;
import io.helidon.http.http2.StreamFlowControl;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An HTTP/2 client that writes frames exactly as told, for what well-behaved client libraries never
 * send: resets right after a request, floods, declared lengths far beyond the body. Plaintext
 * (prior knowledge, as gRPC uses it); header blocks are HPACK literals without indexing or Huffman
 * coding.
 */
public final class RawHttp2 implements AutoCloseable {
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int WINDOW_UPDATE = 0x8;

    public static final int END_STREAM = 0x1;
    public static final int END_HEADERS = 0x4;
    public static final int ACK = 0x1;

    public static final int ERROR_CANCEL = 0x8;
    public static final int ERROR_ENHANCE_YOUR_CALM = 0xb;

    /** Static-table indexes of the pseudo-header names (RFC 7541 appendix A); Helidon accepts them only by index. */
    private static final Map<String, Integer> PSEUDO_HEADER_INDEX = Map.of(":authority", 1, ":method", 2, ":path", 4, ":scheme", 6);
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final String authority;
    // Every header block the server sends must go through one decoder: HPACK's table spans the connection.
    private final Http2Headers.DynamicTable hpackTable = Http2Headers.DynamicTable.create(4096);
    private final Http2HuffmanDecoder huffman = Http2HuffmanDecoder.create();
    private int nextStreamId = 1;

    /** One frame as read from the server; {@code headers} are decoded for HEADERS frames, empty otherwise. */
    public record Frame(int type, int flags, int streamId, byte[] payload, Map<String, String> headers) {
        /** The grpc-status of a trailers frame, or -1. */
        public int grpcStatus() {
            String status = headers.get("grpc-status");
            return status == null ? -1 : Integer.parseInt(status);
        }

        /** The error code of a GOAWAY or RST_STREAM frame. */
        public int errorCode() {
            ByteBuffer buffer = ByteBuffer.wrap(payload);
            return type == GOAWAY ? buffer.getInt(4) : buffer.getInt(0);
        }

        /** The debug text of a GOAWAY frame. */
        public String debugData() {
            return type == GOAWAY ? new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8) : "";
        }
    }

    private RawHttp2(Socket socket, String authority) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.in = new DataInputStream(socket.getInputStream());
        this.authority = authority;
    }

    /** Connects, sends the preface and empty SETTINGS. */
    public static RawHttp2 connect(String host, int port) {
        try {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            RawHttp2 client = new RawHttp2(socket, host + ":" + port);
            client.out.write(PREFACE);
            client.frame(SETTINGS, 0, 0, new byte[0]);
            client.out.flush();
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new client stream id (odd, increasing). */
    public int newStreamId() {
        int id = nextStreamId;
        nextStreamId += 2;
        return id;
    }

    /** A gRPC request's HEADERS frame for {@code path} ({@code /package.Service/Method}), plus extra headers. */
    public void grpcHeaders(int streamId, String path, Map<String, String> extra, boolean endStream) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":method", "POST");
        headers.put(":scheme", "http");
        headers.put(":path", path);
        headers.put(":authority", authority);
        headers.put("content-type", "application/grpc");
        headers.put("te", "trailers");
        headers.putAll(extra);
        headers(streamId, headers, endStream);
    }

    public void headers(int streamId, Map<String, String> headers, boolean endStream) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            Integer staticIndex = PSEUDO_HEADER_INDEX.get(name);
            if (staticIndex != null) {
                block.write(staticIndex); // literal without indexing, name from the static table
            } else {
                block.write(0x00); // literal without indexing, new name
                writeString(block, name);
            }
            writeString(block, value);
        });
        frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, block.toByteArray());
    }

    public void data(int streamId, byte[] payload, boolean endStream) {
        frame(DATA, endStream ? END_STREAM : 0, streamId, payload);
    }

    public void rstStream(int streamId, int errorCode) {
        frame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
    }

    /** Writes one frame (buffered: call {@link #flush()}). */
    public void frame(int type, int flags, int streamId, byte[] payload) {
        try {
            byte[] header = new byte[9];
            header[0] = (byte) (payload.length >>> 16);
            header[1] = (byte) (payload.length >>> 8);
            header[2] = (byte) payload.length;
            header[3] = (byte) type;
            header[4] = (byte) flags;
            ByteBuffer.wrap(header, 5, 4).putInt(streamId & 0x7fffffff);
            out.write(header);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The next frame from the server, answering its SETTINGS and PINGs on the way (as every client
     * must); empty when nothing arrives within the timeout or the server closed the connection.
     */
    public Optional<Frame> read(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int streamId = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            if (type == SETTINGS && (flags & ACK) == 0) {
                frame(SETTINGS, ACK, 0, new byte[0]);
                flush();
            } else if (type == PING && (flags & ACK) == 0) {
                frame(PING, ACK, 0, payload);
                flush();
            }
            Map<String, String> headers = type == HEADERS ? decode(flags, streamId, payload) : Map.of();
            return Optional.of(new Frame(type, flags, streamId, payload, headers));
        } catch (IOException e) {
            // A time-out, the end of the stream or a reset connection: nothing (more) from the server.
            return Optional.empty();
        }
    }

    /** Decodes a header block with Helidon's HPACK decoder (the server's CONTINUATION frames are not expected: blocks are small). */
    private Map<String, String> decode(int flags, int streamId, byte[] block) {
        Http2FrameHeader header = Http2FrameHeader.create(block.length, Http2FrameTypes.HEADERS,
                Http2Flag.HeaderFlags.create(flags), streamId);
        Http2Headers decoded = Http2Headers.create(new DecodingStream(streamId), hpackTable, huffman,
                new Http2FrameData(header, BufferData.create(block)));
        Map<String, String> headers = new LinkedHashMap<>();
        decoded.httpHeaders().forEach(h -> headers.put(h.name(), h.get()));
        return headers;
    }

    /** What Helidon's decoder needs to know of the stream a header block belongs to. */
    private record DecodingStream(int streamId) implements Http2Stream {
        @Override
        public boolean rstStream(Http2RstStream rstStream) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void windowUpdate(Http2WindowUpdate windowUpdate) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void headers(Http2Headers headers, boolean endOfStream) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void data(Http2FrameHeader header, BufferData data, boolean endOfStream) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void priority(Http2Priority http2Priority) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Http2StreamState streamState() {
            return Http2StreamState.OPEN;
        }

        @Override
        public StreamFlowControl flowControl() {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * Reads until a frame the test wants arrives, or a GOAWAY (which ends every wait), within the
     * timeout overall; empty when neither came.
     */
    public Optional<Frame> awaitFrame(Predicate<Frame> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Frame> frame = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (frame.isEmpty() || wanted.test(frame.get()) || frame.get().type() == GOAWAY) {
                return frame;
            }
        }
        return Optional.empty();
    }

    /** The frame that ends a stream from the server's side: trailers (HEADERS with END_STREAM) or RST_STREAM. */
    public static Predicate<Frame> endOf(int streamId) {
        return frame -> frame.streamId() == streamId
                && (frame.type() == RST_STREAM || frame.type() == HEADERS && (frame.flags() & END_STREAM) != 0);
    }

    /** A gRPC length-prefixed message: flag byte, 4-byte declared length, then the bytes. */
    public static byte[] grpcMessage(byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
    }

    private static void writeString(ByteArrayOutputStream block, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInteger(block, bytes.length);
        block.writeBytes(bytes);
    }

    /** An HPACK integer with a 7-bit prefix and the Huffman bit clear. */
    private static void writeInteger(ByteArrayOutputStream block, int value) {
        if (value < 127) {
            block.write(value);
            return;
        }
        block.write(127);
        int rest = value - 127;
        while (rest >= 128) {
            block.write(rest % 128 + 128);
            rest /= 128;
        }
        block.write(rest);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
