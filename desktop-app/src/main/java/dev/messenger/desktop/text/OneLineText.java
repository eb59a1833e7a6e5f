package dev.messenger.desktop.text;

import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.layout.Region;
import javafx.scene.shape.Path;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of text with its emoji drawn as images, cut after the last character that fits and
 * ended with "…" (what a Label does, which cannot hold images between its letters). For previews:
 * not selectable, links are plain text.
 */
public final class OneLineText extends Region {
    private static final double EMOJI_SIZE = 16;

    private final EmojiIndex emoji;
    private final EmojiImages images;
    private final TextFlow flow = new TextFlow();
    private final Text ellipsis = new Text("…");
    private final Rectangle clip = new Rectangle();
    private String text = "";

    OneLineText(EmojiIndex emoji, EmojiImages images) {
        this.emoji = emoji;
        this.images = images;
        getStyleClass().add("one-line-text");
        ellipsis.getStyleClass().add("text-run");
        ellipsis.setManaged(false);
        flow.setClip(clip);
        getChildren().addAll(flow, ellipsis);
    }

    public String getText() {
        return text;
    }

    public void setText(String newText) {
        text = newText;
        List<Node> nodes = new ArrayList<>();
        for (RichText.Run run : RichText.parse(newText, emoji).runs()) {
            if (run instanceof RichText.Emoji glyph) {
                nodes.add(new EmojiGlyph(images, glyph, EMOJI_SIZE));
            } else {
                Text node = new Text(run.text());
                node.getStyleClass().add("text-run");
                nodes.add(node);
            }
        }
        flow.getChildren().setAll(nodes);
        setAccessibleText(newText);
    }

    @Override
    protected double computeMinWidth(double height) {
        return snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computePrefWidth(double height) {
        return snappedLeftInset() + flow.prefWidth(-1) + snappedRightInset();
    }

    @Override
    protected double computePrefHeight(double width) {
        return snappedTopInset() + flow.prefHeight(-1) + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    public double getBaselineOffset() {
        return snappedTopInset() + flow.getBaselineOffset();
    }

    @Override
    protected void layoutChildren() {
        double room = Math.max(0, getWidth() - snappedLeftInset() - snappedRightInset());
        double whole = flow.prefWidth(-1);
        flow.resizeRelocate(snappedLeftInset(), snappedTopInset(), whole, flow.prefHeight(-1));
        clip.setHeight(flow.getHeight());
        boolean fits = whole <= room;
        ellipsis.setVisible(!fits);
        if (fits) {
            clip.setWidth(whole);
            return;
        }
        double cut = cutBefore(room - ellipsis.getLayoutBounds().getWidth());
        clip.setWidth(cut);
        ellipsis.setLayoutX(snappedLeftInset() + cut);
        ellipsis.setLayoutY(snappedTopInset() + flow.getBaselineOffset());
    }

    /** Where the last character that ends at or before x ends. */
    private double cutBefore(double x) {
        if (x <= 0) {
            return 0;
        }
        int first = flow.hitTest(new Point2D(x, flow.getHeight() / 2)).getCharIndex();
        return first <= 0 ? 0 : new Path(flow.rangeShape(0, first)).getLayoutBounds().getMaxX();
    }
}
