package dev.messenger.desktop.text;

import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;

/** An emoji image sitting on the text's baseline like a letter with a descender. */
final class EmojiGlyph extends Region {
    /** How far below the baseline an emoji reaches, as a share of its size: about where the letters' descenders end. */
    private static final double DESCENT = 0.2;

    private final double size;

    EmojiGlyph(EmojiImages images, RichText.Emoji emoji, double size) {
        this.size = size;
        ImageView view = new ImageView(images.image(emoji.image()));
        view.setFitWidth(size);
        view.setFitHeight(size);
        view.setSmooth(true);
        getChildren().add(view);
        getStyleClass().add("emoji");
        setMinSize(size, size);
        setPrefSize(size, size);
        setMaxSize(size, size);
        setAccessibleText(emoji.text());
    }

    @Override
    public double getBaselineOffset() {
        return size * (1 - DESCENT);
    }
}
