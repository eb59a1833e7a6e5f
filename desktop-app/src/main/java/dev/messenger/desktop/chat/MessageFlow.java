package dev.messenger.desktop.chat;

import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.ObservableList;
import javafx.scene.control.ListCell;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The message list's flow, which keeps the reader's place in messages rather than in pixels.
 *
 * <p>A ListView places its rows from estimated heights (a row it has not laid out yet counts as the
 * average row) and, when rows are added, keeps the same row <em>index</em> at the top. On its own it
 * therefore lands short of the newest message, and moves the conversation under the reader when a
 * page of history is added above. Here the place is either <em>following</em> (the newest message's
 * end at the bottom of the view) or a message and its distance from the top of the view; after each
 * layout the rows are moved back to it by the pixels they are off. Only the user (wheel, scroll bar,
 * dragging) or an explicit request ({@link #followNewest()}, {@link #showAtTop(long)}) changes the place.
 */
final class MessageFlow extends VirtualFlow<ListCell<ChatItem>> {
    /** Each step moves by what is still missing; a step that gets no nearer (an end of the list) stops. */
    private static final int MAX_STEPS = 4;
    /** Rows are placed at whole or half pixels. */
    private static final double TOLERANCE = 0.5;

    private final ObservableList<ChatItem> items;
    private final LongConsumer newestShown;
    private final Runnable oldestShown;
    private final ReadOnlyBooleanWrapper atBottom = new ReadOnlyBooleanWrapper(this, "atBottom", true);
    private boolean following = true;
    private String anchorKey = "";
    private double anchorOffset;
    /** The wheel or a drag moved the rows by pixels: that is the place, before the list re-places them from its estimates. */
    private boolean pixelScrolled;
    /** The scroll bar moved: the list places the rows for its new value, and that is the place. */
    private boolean barScrolled;
    private boolean barPressed;
    /** A requested place is put back once; where that ended (the list may end before it) is the place. */
    private boolean landing;
    private boolean inLayout;

    /**
     * @param newestShown told after each layout the id of the newest message whose end is in view (0: none)
     * @param oldestShown told when the first row of the list is in view
     */
    MessageFlow(ObservableList<ChatItem> items, LongConsumer newestShown, Runnable oldestShown) {
        this.items = items;
        this.newestShown = newestShown;
        this.oldestShown = oldestShown;
        addEventFilter(ScrollEvent.SCROLL, event -> pixelScrolled = true);
        addEventFilter(MouseEvent.MOUSE_DRAGGED, event -> pixelScrolled |= !barPressed);
        // Holding the mouse on the scroll bar's track keeps scrolling without further events.
        getVbar().addEventFilter(MouseEvent.MOUSE_PRESSED, event -> barPressed = true);
        getVbar().addEventFilter(MouseEvent.MOUSE_RELEASED, event -> {
            barPressed = false;
            barScrolled = true;
        });
        // Shown again (another conversation was open meanwhile), the view is where the user left
        // it: what arrived meanwhile waits below, unseen, rather than scrolling the view.
        sceneProperty().addListener((obs, was, scene) -> {
            if (scene == null) {
                takePlaceFromView();
                following = false;
                landing = true;
            }
        });
    }

    /** True while the newest message's end is in view. */
    ReadOnlyBooleanProperty atBottomProperty() {
        return atBottom.getReadOnlyProperty();
    }

    /** From now on the newest message stays in view, also as more arrive. */
    void followNewest() {
        following = true;
        requestLayout();
    }

    /** Shows this message at the top of the view (or as near as the end of the list allows). */
    void showAtTop(long messageId) {
        items.stream().filter(item -> item.id() == messageId).findFirst().ifPresent(item -> {
            following = false;
            anchorKey = key(item);
            anchorOffset = 0;
            landing = true;
            requestLayout();
        });
    }

    @Override
    protected void layoutChildren() {
        if (pixelScrolled && !inLayout) {
            pixelScrolled = false;
            takePlaceFromView();
            // The list is about to place every row anew from its estimates, which scrolling has left
            // inconsistent: have it place them from the place's row instead (it measures the rows around it first).
            scrollToRow(placeIndex());
        }
        super.layoutChildren();
        if (inLayout || getWidth() <= 0 || getHeight() <= 0) {
            return;
        }
        inLayout = true;
        try {
            if (barScrolled || barPressed) {
                barScrolled = false;
                takePlaceFromView();
            } else if (putPlaceBack() && landing) {
                // Near the end that is the bottom, which then follows new messages.
                landing = false;
                takePlaceFromView();
            }
            report();
        } finally {
            inLayout = false;
        }
    }

    /** Moves the rows to the place; false when the place's message is not in the list yet. */
    private boolean putPlaceBack() {
        int index = placeIndex();
        if (index < 0 || index >= getCellCount()) {
            return false;
        }
        double missed = Double.MAX_VALUE;
        for (int step = 0; step < MAX_STEPS; step++) {
            ListCell<ChatItem> cell = getVisibleCell(index);
            if (cell == null) {
                // Not laid out: have the list put it at the top, then correct by pixels.
                scrollToRow(index);
                layoutChildren();
                continue;
            }
            double miss = following ? bottom(cell) - getViewportLength() : cell.getLayoutY() - anchorOffset;
            if (Math.abs(miss) < TOLERANCE || Math.abs(miss) >= missed) {
                return true;
            }
            missed = Math.abs(miss);
            scrollPixels(miss);
        }
        return true;
    }

    /** The row of the place: the newest while following; -1 when not in the list (yet). */
    private int placeIndex() {
        return following ? getCellCount() - 1 : indexOf(anchorKey);
    }

    /**
     * Has the list measure the rows around this one and put it at the top. For a row in the last
     * screenful that top is past the end (the list does not clamp it, and then leaves the row out):
     * the end is the nearest.
     */
    private void scrollToRow(int index) {
        if (index < 0 || index >= getCellCount()) {
            return;
        }
        scrollToTop(index);
        if (getPosition() > 1) {
            setPosition(1);
        }
    }

    private void takePlaceFromView() {
        List<ListCell<ChatItem>> shown = shownCells();
        if (shown.isEmpty()) {
            return;
        }
        ListCell<ChatItem> first = shown.getFirst();
        anchorKey = key(first.getItem());
        anchorOffset = first.getLayoutY();
        following = newestEndInView();
    }

    /**
     * Tells what is in view once the layout pass is over: what listens changes other nodes, and
     * JavaFX drops the layout requests made while a layout pass runs.
     */
    private void report() {
        boolean bottom = newestEndInView();
        long newest = 0;
        boolean oldest = false;
        for (ListCell<ChatItem> cell : shownCells()) {
            if (bottom(cell) <= getViewportLength() + TOLERANCE) {
                newest = Math.max(newest, cell.getItem().id());
            }
            oldest |= cell.getIndex() == 0;
        }
        long newestEnd = newest;
        boolean oldestInView = oldest;
        Platform.runLater(() -> {
            atBottom.set(bottom);
            newestShown.accept(newestEnd);
            if (oldestInView) {
                oldestShown.run();
            }
        });
    }

    private boolean newestEndInView() {
        ListCell<ChatItem> newest = getVisibleCell(getCellCount() - 1);
        return getCellCount() == 0 || newest != null && newest.isVisible() && bottom(newest) <= getViewportLength() + TOLERANCE;
    }

    /** The laid-out rows that show a message and are at least partly in view, top to bottom. */
    private List<ListCell<ChatItem>> shownCells() {
        List<ListCell<ChatItem>> shown = new ArrayList<>();
        for (ListCell<ChatItem> cell : getCells()) {
            if (!cell.isEmpty() && cell.getItem() != null && cell.isVisible()
                    && bottom(cell) > 0 && cell.getLayoutY() < getViewportLength()) {
                shown.add(cell);
            }
        }
        return shown;
    }

    private int indexOf(String key) {
        for (int i = 0; i < items.size(); i++) {
            if (key(items.get(i)).equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static double bottom(ListCell<ChatItem> cell) {
        return cell.getLayoutY() + cell.getLayoutBounds().getHeight();
    }

    /** What identifies a message across its states: a pending send has no id yet, only its client id. */
    private static String key(ChatItem item) {
        return item.clientMessageId().isEmpty() ? "id " + item.id() : "client " + item.clientMessageId();
    }
}
