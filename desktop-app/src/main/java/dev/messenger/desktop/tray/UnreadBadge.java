package dev.messenger.desktop.tray;

import javafx.geometry.VPos;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The tray's pictures: the app icon with a red badge holding the unread count, at the sizes a
 * panel is likely to want, as StatusNotifierItem pixmaps. Drawn with JavaFX (a canvas snapshot)
 * rather than AWT, which the app does not otherwise load.
 */
final class UnreadBadge {
    /** 22: KDE's and XFCE's default panel icons; 32 and 48: larger panels and HiDPI. The host scales the nearest. */
    static final List<Integer> SIZES = List.of(22, 32, 48);
    static final Color RED = Color.rgb(220, 38, 38);
    /** The badge's height as a share of the icon's: readable at 22 px while the icon still shows. */
    static final double HEIGHT = 0.6;

    private final List<Image> icons;

    UnreadBadge() {
        String icon = Objects.requireNonNull(UnreadBadge.class.getResource("/dev/messenger/desktop/icon.png")).toExternalForm();
        // Scaled once, smoothly, when loaded: a canvas draws a 256 px image at 22 px with visible jaggies.
        this.icons = SIZES.stream().map(size -> new Image(icon, size, size, true, true)).toList();
    }

    /** What the badge says: nothing at 0, then the count, "99+" beyond 99. */
    static String text(int unread) {
        return unread <= 0 ? "" : unread > 99 ? "99+" : Integer.toString(unread);
    }

    /** The icon at each size, badged when {@code unread} is above 0. On the JavaFX thread (snapshots). */
    List<StatusNotifierItem.Pixmap> pixmaps(int unread) {
        return icons.stream().map(icon -> draw(icon, text(unread))).toList();
    }

    private static StatusNotifierItem.Pixmap draw(Image icon, String badge) {
        int size = (int) icon.getWidth();
        Canvas canvas = new Canvas(size, size);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.drawImage(icon, 0, 0);
        if (!badge.isEmpty()) {
            double height = Math.round(size * HEIGHT);
            Font font = Font.font(Font.getDefault().getFamily(), FontWeight.BOLD, height * 0.8);
            Text measure = new Text(badge);
            measure.setFont(font);
            // A circle for one digit, a pill for more; never wider than the icon (fillText then squeezes the text).
            double width = Math.min(size, Math.max(height, Math.ceil(measure.getLayoutBounds().getWidth() + height * 0.4)));
            double left = size - width;
            g.setFill(RED);
            g.fillRoundRect(left, 0, width, height, height, height);
            g.setFill(Color.WHITE);
            g.setFont(font);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(badge, left + width / 2, height / 2, width - 2);
        }
        SnapshotParameters transparent = new SnapshotParameters();
        transparent.setFill(Color.TRANSPARENT);
        Image image = canvas.snapshot(transparent, null);
        int[] argb = new int[size * size];
        image.getPixelReader().getPixels(0, 0, size, size, PixelFormat.getIntArgbInstance(), argb, 0, size);
        // A ByteBuffer is big-endian: each pixel in network byte order, as the specification asks.
        ByteBuffer bytes = ByteBuffer.allocate(argb.length * Integer.BYTES);
        bytes.asIntBuffer().put(argb);
        return new StatusNotifierItem.Pixmap(size, size, bytes.array());
    }
}
