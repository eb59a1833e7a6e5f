package dev.messenger.desktop.text;

import java.net.URI;
import java.util.function.Consumer;

/** Makes the views of message text, and holds what they share: the emoji set, the images loaded so far and how a link opens. */
public final class TextViews {
    private final EmojiIndex emoji;
    private final EmojiImages images = new EmojiImages();
    private final Consumer<URI> openLink;

    /** @param openLink opens an http(s) address, in the browser */
    public TextViews(EmojiIndex emoji, Consumer<URI> openLink) {
        this.emoji = emoji;
        this.openLink = openLink;
    }

    public MessageText messageText() {
        return new MessageText(emoji, images, openLink);
    }

    public OneLineText oneLineText() {
        return new OneLineText(emoji, images);
    }
}
