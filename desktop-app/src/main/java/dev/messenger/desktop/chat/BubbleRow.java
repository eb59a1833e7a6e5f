package dev.messenger.desktop.chat;

import javafx.geometry.Orientation;
import javafx.scene.layout.Region;

/**
 * The row a bubble sits in: the bubble at most {@link #MAX_SHARE} of the row's width, on the right
 * for own messages. Its height follows only from the width it is given (not from the list's width
 * at some earlier moment), so the list measures a row it has not shown yet exactly as it will show it.
 */
final class BubbleRow extends Region {
    private static final double MAX_SHARE = 0.68;

    private final Region bubble;
    private boolean mine;

    BubbleRow(Region bubble) {
        this.bubble = bubble;
        getChildren().add(bubble);
    }

    void setMine(boolean mine) {
        this.mine = mine;
        requestLayout();
    }

    @Override
    public Orientation getContentBias() {
        return Orientation.HORIZONTAL;
    }

    @Override
    protected double computePrefHeight(double width) {
        return snappedTopInset() + bubble.prefHeight(bubbleWidth(width)) + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected void layoutChildren() {
        double width = bubbleWidth(getWidth());
        double x = mine ? getWidth() - snappedRightInset() - width : snappedLeftInset();
        bubble.resizeRelocate(snapPositionX(x), snappedTopInset(), width, bubble.prefHeight(width));
    }

    /** @param rowWidth negative when not known: then the bubble is as wide as it likes */
    private double bubbleWidth(double rowWidth) {
        if (rowWidth < 0) {
            return bubble.prefWidth(-1);
        }
        double room = Math.max(0, rowWidth - snappedLeftInset() - snappedRightInset());
        return snapSizeX(Math.min(bubble.prefWidth(-1), room * MAX_SHARE));
    }
}
