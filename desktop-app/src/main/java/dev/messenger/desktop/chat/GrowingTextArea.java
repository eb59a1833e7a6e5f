package dev.messenger.desktop.chat;

import javafx.scene.control.TextArea;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;

/**
 * A wrapping text area as tall as its text, from {@code minRows} up to {@code maxRows} lines;
 * beyond that it scrolls. TextArea has no such mode and no count of its wrapped lines, so the text
 * is measured here as the skin lays it out: same font, wrapped at the width of the skin's
 * {@code .content} region less its padding.
 */
final class GrowingTextArea extends TextArea {
    private final int minRows;
    private final int maxRows;
    private final Text measure = new Text();
    private Region content;

    GrowingTextArea(int minRows, int maxRows) {
        this.minRows = minRows;
        this.maxRows = maxRows;
        setWrapText(true);
        setPrefRowCount(minRows);
        textProperty().addListener(observable -> fitRows());
        fontProperty().addListener(observable -> fitRows());
    }

    @Override
    protected void layoutChildren() {
        super.layoutChildren();
        // The content region exists once the skin's scroll pane has its own skin, i.e. after the first layout.
        if (content == null && lookup(".content") instanceof Region found) {
            content = found;
            content.widthProperty().addListener(observable -> fitRows());
            // The skin sized its rows in the font from before the style sheets, and sizes them again
            // only when the count changes: it must change, or two lines of text would not fit in two rows.
            setPrefRowCount(maxRows);
            fitRows();
        }
    }

    private void fitRows() {
        if (content == null) {
            return;
        }
        measure.setFont(getFont());
        measure.setWrappingWidth(0);
        measure.setText("X");
        double lineHeight = measure.getLayoutBounds().getHeight();
        measure.setWrappingWidth(Math.max(1, content.getWidth() - content.snappedLeftInset() - content.snappedRightInset()));
        measure.setText(getText());
        int lines = (int) Math.round(measure.getLayoutBounds().getHeight() / lineHeight);
        setPrefRowCount(Math.clamp(lines, minRows, maxRows));
    }
}
