package dev.messenger.desktop.tray;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tray's pictures, drawn on the (headless) JavaFX thread. */
class UnreadBadgeTest {
    @BeforeAll
    static void startJavaFx() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void theBadgeSaysTheCountUpTo99() {
        assertEquals("", UnreadBadge.text(0));
        assertEquals("1", UnreadBadge.text(1));
        assertEquals("42", UnreadBadge.text(42));
        assertEquals("99", UnreadBadge.text(99));
        assertEquals("99+", UnreadBadge.text(100));
        assertEquals("99+", UnreadBadge.text(12_345));
    }

    @Test
    void withoutUnreadMessagesTheIconIsPlainAtEachSize() throws Exception {
        List<Picture> plain = drawn(0);
        assertEquals(List.of(22, 32, 48), plain.stream().map(Picture::width).toList());
        for (Picture picture : plain) {
            int size = picture.width();
            assertEquals(size, picture.height());
            assertEquals(size * size * 4, picture.argb().length, "ARGB32: four bytes a pixel");
            assertEquals(255, picture.alpha(size / 2, size / 2), "the icon itself is opaque");
            assertEquals(0, picture.alpha(0, 0), "its rounded corner is transparent");
            assertEquals(0, picture.redAnywhere(), "no badge at " + size + " px");
        }
    }

    @Test
    void theBadgeIsRedInTheTopRightCornerWithTheCountInWhiteAndGrowsWithIt() throws Exception {
        List<Picture> one = drawn(1);
        List<Picture> fortyTwo = drawn(42);
        List<Picture> many = drawn(100);
        for (int i = 0; i < UnreadBadge.SIZES.size(); i++) {
            int size = UnreadBadge.SIZES.get(i);
            int row = (int) Math.round(size * UnreadBadge.HEIGHT / 2);
            for (Picture badged : List.of(one.get(i), fortyTwo.get(i), many.get(i))) {
                int corner = badged.redInBadgeCorner();
                assertTrue(corner > size * size / 10, "a red badge at " + size + " px: " + corner + " red pixels");
                assertEquals(255, badged.alpha(size / 4, size * 3 / 4), "the icon still shows beside the badge");
                assertTrue(textCrosses(badged, row), "the count is written across the badge at " + size + " px");
            }
            int oneLeft = leftmostRed(one.get(i), row);
            int fortyTwoLeft = leftmostRed(fortyTwo.get(i), row);
            int manyLeft = leftmostRed(many.get(i), row);
            assertTrue(oneLeft > fortyTwoLeft && fortyTwoLeft > manyLeft,
                    "wider for more digits at " + size + " px: " + oneLeft + ", " + fortyTwoLeft + ", " + manyLeft);
        }
    }

    private static List<Picture> drawn(int unread) throws Exception {
        UnreadBadge badge = new UnreadBadge();
        return WaitForAsyncUtils.asyncFx(() -> badge.pixmaps(unread)).get(10, TimeUnit.SECONDS)
                .stream().map(Picture::of).toList();
    }

    private static int leftmostRed(Picture picture, int row) {
        for (int x = 0; x < picture.width(); x++) {
            if (picture.red(x, row)) {
                return x;
            }
        }
        return -1;
    }

    /** White between the badge's red edges on its middle row: the digits. */
    private static boolean textCrosses(Picture picture, int row) {
        int left = leftmostRed(picture, row);
        for (int x = Math.max(left, 0); x < picture.width(); x++) {
            if (picture.white(x, row)) {
                return left >= 0;
            }
        }
        return false;
    }
}
