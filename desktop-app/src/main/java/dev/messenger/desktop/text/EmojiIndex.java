package dev.messenger.desktop.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which character sequences are emoji the app has an image for, and which image: the names in the
 * bundled set are the sequences' code points in hex ({@code 1f44b-1f3fd}, {@code 2764-fe0f}).
 *
 * <p>People (and keyboards) often leave out the emoji presentation selector U+FE0F, so a sequence
 * matches with or without it. The exception is a lone symbol from before the emoji blocks (©, ®,
 * ™, arrows): without the selector it stays text, as in every messenger; after U+2600 (☀, ❤, ✨…)
 * it is drawn as emoji either way. A text presentation selector (U+FE0E) keeps a symbol text.
 */
public final class EmojiIndex {
    private static final int PRESENTATION_SELECTOR = 0xFE0F;
    private static final int TEXT_SELECTOR = 0xFE0E;
    private static final int ZERO_WIDTH_JOINER = 0x200D;
    private static final int FIRST_SYMBOL_DRAWN_AS_EMOJI = 0x2600;

    private final Map<String, String> imageByKey;
    private final Set<String> needsSelector;
    private final BitSet firstCodePoints = new BitSet();
    private final int longest;

    EmojiIndex(List<String> imageNames) {
        Map<String, String> images = new HashMap<>();
        Set<String> selectorOnly = new HashSet<>();
        int longestKey = 0;
        for (String name : imageNames) {
            String[] parts = name.split("-");
            int[] codePoints = new int[parts.length];
            int length = 0;
            for (String part : parts) {
                int codePoint = Integer.parseInt(part, 16);
                if (codePoint != PRESENTATION_SELECTOR) {
                    codePoints[length++] = codePoint;
                }
            }
            String key = new String(codePoints, 0, length);
            images.put(key, name);
            if (length == 1 && parts.length == 2 && codePoints[0] < FIRST_SYMBOL_DRAWN_AS_EMOJI) {
                selectorOnly.add(key);
            }
            firstCodePoints.set(codePoints[0]);
            longestKey = Math.max(longestKey, length);
        }
        this.imageByKey = Map.copyOf(images);
        this.needsSelector = Set.copyOf(selectorOnly);
        this.longest = longestKey;
    }

    /** The set shipped with the app (Twemoji, see {@code emoji/NOTICE.txt}). */
    public static EmojiIndex bundled() {
        return Bundled.INDEX;
    }

    /** The emoji that starts at {@code start}, the longest one there is, or null when none does. */
    Match match(CharSequence text, int start) {
        int first = Character.codePointAt(text, start);
        if (!firstCodePoints.get(first)) {
            return null;
        }
        int[] codePoints = new int[longest];
        int[] ends = new int[longest];
        int count = 0;
        int at = start;
        boolean joined = false;
        while (at < text.length() && count < longest) {
            int codePoint = Character.codePointAt(text, at);
            if (codePoint == PRESENTATION_SELECTOR && count > 0) {
                at += Character.charCount(codePoint);
                ends[count - 1] = at;
                continue;
            }
            if (count > 0 && !joined && !continuesSequence(codePoint)) {
                break;
            }
            joined = codePoint == ZERO_WIDTH_JOINER;
            at += Character.charCount(codePoint);
            codePoints[count] = codePoint;
            ends[count] = at;
            count++;
        }
        for (int length = count; length > 0; length--) {
            String key = new String(codePoints, 0, length);
            String image = imageByKey.get(key);
            if (image == null) {
                continue;
            }
            int end = ends[length - 1];
            if (length == 1 && followedBy(text, start, TEXT_SELECTOR)) {
                return null;
            }
            if (needsSelector.contains(key) && !followedBy(text, start, PRESENTATION_SELECTOR)) {
                return null;
            }
            return new Match(image, end);
        }
        return null;
    }

    /** What may follow the first code point inside one emoji: joiners, keycaps, skin tones, flag letters, tags. */
    private static boolean continuesSequence(int codePoint) {
        return codePoint == ZERO_WIDTH_JOINER
                || codePoint == 0x20E3
                || (codePoint >= 0x1F3FB && codePoint <= 0x1F3FF)
                || (codePoint >= 0x1F1E6 && codePoint <= 0x1F1FF)
                || (codePoint >= 0xE0020 && codePoint <= 0xE007F);
    }

    private static boolean followedBy(CharSequence text, int start, int selector) {
        int next = start + Character.charCount(Character.codePointAt(text, start));
        return next < text.length() && Character.codePointAt(text, next) == selector;
    }

    /** @param end the index after the emoji's last char, selectors included */
    record Match(String image, int end) {
    }

    private static final class Bundled {
        private static final EmojiIndex INDEX = load();

        private static EmojiIndex load() {
            try (InputStream in = Objects.requireNonNull(EmojiIndex.class.getResourceAsStream(
                    "/dev/messenger/desktop/emoji/index.txt"), "emoji index missing from the app");
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return new EmojiIndex(reader.lines().filter(line -> !line.isBlank()).toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
