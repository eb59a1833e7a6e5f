package dev.messenger.desktop.session;

import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WindowBoundsTest {
    private static final Rectangle2D LAPTOP = new Rectangle2D(0, 0, 1280, 800);
    private static final Rectangle2D MONITOR_ON_THE_RIGHT = new Rectangle2D(1280, 0, 1920, 1080);

    private static WindowBounds at(double x, double y) {
        return new WindowBounds(x, y, 900, 640, false);
    }

    @Test
    void aPlaceOnAScreenIsKeptOnThatScreen() {
        assertEquals(Optional.of(LAPTOP), at(100, 50).screenIn(List.of(LAPTOP, MONITOR_ON_THE_RIGHT)));
        assertEquals(Optional.of(MONITOR_ON_THE_RIGHT), at(1500, 200).screenIn(List.of(LAPTOP, MONITOR_ON_THE_RIGHT)));
        assertEquals(Optional.of(LAPTOP), at(-700, 10).screenIn(List.of(LAPTOP)), "partly off the left edge, still grabbable");
    }

    @Test
    void aPlaceOffEveryScreenIsNot() {
        assertEquals(Optional.empty(), at(1500, 200).screenIn(List.of(LAPTOP)), "the monitor it was on is unplugged");
        assertEquals(Optional.empty(), at(100, 790).screenIn(List.of(LAPTOP)), "only a sliver of the title bar at the bottom");
        assertEquals(Optional.empty(), at(1260, 100).screenIn(List.of(LAPTOP)), "only a sliver at the right edge");
        assertEquals(Optional.empty(), at(100, -300).screenIn(List.of(LAPTOP)), "title bar above the screen");
    }
}
