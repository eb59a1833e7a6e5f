package dev.messenger.desktop.text;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message's text cut into what is drawn differently: plain text, links and emoji. The runs,
 * joined, are the text again, char for char.
 */
public record RichText(List<Run> runs) {
    /** Starts of links: a scheme the app opens, or a bare "www." name. What ends one is decided in {@link #linkEnd}. */
    private static final Pattern LINK_START = Pattern.compile("(?i)\\b(?:https?://|www\\.)");
    private static final String TRAILING_PUNCTUATION = ".,;:!?'\"";
    /** At most this many emoji and nothing else: drawn large, as messengers do. */
    private static final int MAX_LARGE_EMOJI = 3;

    public RichText {
        runs = List.copyOf(runs);
    }

    public sealed interface Run {
        String text();
    }

    public record Plain(String text) implements Run {
    }

    /** @param target what opening it opens: always http or https */
    public record Link(String text, URI target) implements Run {
    }

    /** @param image the name of its image in the bundled set */
    public record Emoji(String text, String image) implements Run {
    }

    public static RichText parse(String text, EmojiIndex emoji) {
        List<Run> runs = new ArrayList<>();
        Matcher start = LINK_START.matcher(text);
        int done = 0;
        while (start.find(done)) {
            int end = linkEnd(text, start.start(), start.end());
            URI target = target(text.substring(start.start(), end));
            if (target == null) {
                addTextWithEmoji(runs, text.substring(done, end), emoji);
            } else {
                addTextWithEmoji(runs, text.substring(done, start.start()), emoji);
                runs.add(new Link(text.substring(start.start(), end), target));
            }
            done = end;
        }
        addTextWithEmoji(runs, text.substring(done), emoji);
        return new RichText(runs);
    }

    /** True for a message of one to three emoji and nothing but spaces between them. */
    public boolean onlyFewEmoji() {
        int count = 0;
        for (Run run : runs) {
            if (run instanceof Emoji) {
                count++;
            } else if (!run.text().isBlank()) {
                return false;
            }
        }
        return count > 0 && count <= MAX_LARGE_EMOJI;
    }

    /**
     * A link runs to the next space or character a URL cannot hold; punctuation that ends the
     * sentence is not part of it, nor a closing bracket it did not open ("(see https://x.org/a)").
     */
    private static int linkEnd(String text, int start, int afterScheme) {
        int end = afterScheme;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && "<>\"`".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        while (end > afterScheme) {
            char last = text.charAt(end - 1);
            if (TRAILING_PUNCTUATION.indexOf(last) >= 0
                    || (last == ')' && count(text, start, end, '(') < count(text, start, end, ')'))
                    || (last == ']' && count(text, start, end, '[') < count(text, start, end, ']'))) {
                end--;
            } else {
                break;
            }
        }
        return end;
    }

    private static int count(String text, int start, int end, char wanted) {
        int count = 0;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == wanted) {
                count++;
            }
        }
        return count;
    }

    /** Null when the text is no usable web address (only a scheme, no host, characters a URI refuses). */
    private static URI target(String link) {
        String absolute = link.toLowerCase(Locale.ROOT).startsWith("www.") ? "https://" + link : link;
        try {
            URI uri = new URI(absolute);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean web = scheme.equals("http") || scheme.equals("https");
            return web && uri.getHost() != null && !uri.getHost().isEmpty() ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static void addTextWithEmoji(List<Run> runs, String text, EmojiIndex emoji) {
        int plainFrom = 0;
        int at = 0;
        while (at < text.length()) {
            EmojiIndex.Match match = emoji.match(text, at);
            if (match == null) {
                at += Character.charCount(text.codePointAt(at));
                continue;
            }
            if (at > plainFrom) {
                runs.add(new Plain(text.substring(plainFrom, at)));
            }
            runs.add(new Emoji(text.substring(at, match.end()), match.image()));
            at = match.end();
            plainFrom = at;
        }
        if (plainFrom < text.length()) {
            runs.add(new Plain(text.substring(plainFrom)));
        }
    }
}
