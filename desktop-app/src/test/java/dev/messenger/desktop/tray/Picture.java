package dev.messenger.desktop.tray;

import java.nio.ByteBuffer;
import java.util.List;

/** A StatusNotifierItem pixmap as a tray host reads it: ARGB32, each pixel big-endian. */
record Picture(int width, int height, byte[] argb) {
    static Picture of(StatusNotifierItem.Pixmap pixmap) {
        return new Picture(pixmap.width(), pixmap.height(), pixmap.argb());
    }

    /** From an {@code a(iiay)} value as dbus-java hands it to a host: a list of (width, height, list of bytes). */
    static List<Picture> all(Object pixmaps) {
        return ((List<?>) pixmaps).stream().map(Object[].class::cast)
                .map(struct -> new Picture((Integer) struct[0], (Integer) struct[1], bytes((List<?>) struct[2])))
                .toList();
    }

    private static byte[] bytes(List<?> list) {
        byte[] bytes = new byte[list.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (Byte) list.get(i);
        }
        return bytes;
    }

    int pixel(int x, int y) {
        return ByteBuffer.wrap(argb).getInt((y * width + x) * Integer.BYTES);
    }

    int alpha(int x, int y) {
        return pixel(x, y) >>> 24;
    }

    /** The badge's red, not the icon's blue or white (nor the pink of an edge blended into them). */
    boolean red(int x, int y) {
        int p = pixel(x, y);
        return alpha(x, y) > 200 && (p >> 16 & 0xff) > 170 && (p >> 8 & 0xff) < 100 && (p & 0xff) < 100;
    }

    boolean white(int x, int y) {
        int p = pixel(x, y);
        return alpha(x, y) > 200 && (p >> 16 & 0xff) > 200 && (p >> 8 & 0xff) > 200 && (p & 0xff) > 200;
    }

    /** Red pixels in the badge's corner: the top right square as tall as a badge. */
    int redInBadgeCorner() {
        int side = (int) Math.round(width * UnreadBadge.HEIGHT);
        int count = 0;
        for (int y = 0; y < side; y++) {
            for (int x = width - side; x < width; x++) {
                count += red(x, y) ? 1 : 0;
            }
        }
        return count;
    }

    int redAnywhere() {
        int count = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                count += red(x, y) ? 1 : 0;
            }
        }
        return count;
    }
}
