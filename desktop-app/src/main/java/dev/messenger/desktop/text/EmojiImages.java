package dev.messenger.desktop.text;

import javafx.scene.image.Image;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The emoji images loaded so far, shared by every message on screen. Bounded: a conversation uses
 * a few dozen emoji, and a scroll through years of history should not keep all 3,786 in memory.
 * Used on the JavaFX thread only.
 */
public final class EmojiImages {
    private static final String FOLDER = "/dev/messenger/desktop/emoji/twemoji-32/";
    private static final int KEPT = 256;

    private final Map<String, Image> loaded = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Image> eldest) {
            return size() > KEPT;
        }
    };

    /** @param name an image name from the {@link EmojiIndex} */
    Image image(String name) {
        return loaded.computeIfAbsent(name, key -> new Image(Objects.requireNonNull(
                EmojiImages.class.getResource(FOLDER + key + ".png"), key).toExternalForm()));
    }
}
