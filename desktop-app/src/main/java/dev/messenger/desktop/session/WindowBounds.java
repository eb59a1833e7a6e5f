package dev.messenger.desktop.session;

import javafx.geometry.Rectangle2D;

import java.util.List;
import java.util.Optional;

/** Where the window was and how large (its size before it was maximized), as the user left it. */
public record WindowBounds(double x, double y, double width, double height, boolean maximized) {
    /** How much of the window's top edge, where the title bar is, must be on a screen to drag the window by it. */
    static final double GRIP = 48;

    /**
     * The screen (visual bounds) this position is on, if the window can be reached there: a screen
     * unplugged since, or a smaller resolution, can leave a remembered position off every screen.
     */
    public Optional<Rectangle2D> screenIn(List<Rectangle2D> screens) {
        Rectangle2D titleBar = new Rectangle2D(x, y, Math.max(width, 1), GRIP);
        return screens.stream().filter(screen -> {
            double across = Math.min(titleBar.getMaxX(), screen.getMaxX()) - Math.max(titleBar.getMinX(), screen.getMinX());
            double down = Math.min(titleBar.getMaxY(), screen.getMaxY()) - Math.max(titleBar.getMinY(), screen.getMinY());
            return across >= GRIP && down >= GRIP / 2;
        }).findFirst();
    }

    public WindowBounds withMaximized(boolean maximized) {
        return new WindowBounds(x, y, width, height, maximized);
    }
}
