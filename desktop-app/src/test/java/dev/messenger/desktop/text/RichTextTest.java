package dev.messenger.desktop.text;

import dev.messenger.desktop.text.RichText.Emoji;
import dev.messenger.desktop.text.RichText.Link;
import dev.messenger.desktop.text.RichText.Plain;
import dev.messenger.desktop.text.RichText.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the bundled emoji set, so a name the parser finds is an image the app has. */
class RichTextTest {
    private static final EmojiIndex EMOJI = EmojiIndex.bundled();

    private static List<Run> parse(String text) {
        List<Run> runs = RichText.parse(text, EMOJI).runs();
        assertEquals(text, runs.stream().map(Run::text).collect(Collectors.joining()), "the runs are the text again");
        return runs;
    }

    private static List<String> emojiImages(String text) {
        return parse(text).stream().filter(Emoji.class::isInstance).map(run -> ((Emoji) run).image()).toList();
    }

    @Test
    void plainTextIsOneRun() {
        assertEquals(List.of(new Plain("Hello, 2 people # 1 * 3 © 2026")), parse("Hello, 2 people # 1 * 3 © 2026"));
    }

    @Test
    void emojiTheIssueFoundInvisibleOrMonochromeAreImages() {
        assertEquals(List.of(new Plain("hi "), new Emoji("👋", "1f44b"), new Plain(" "), new Emoji("🎉", "1f389"),
                new Plain(" "), new Emoji("😀", "1f600"), new Plain(" "), new Emoji("❤", "2764-fe0f")), parse("hi 👋 🎉 😀 ❤"));
    }

    @Test
    void sequencesAreOneImageEach() {
        assertEquals(List.of("1f44b-1f3fd"), emojiImages("👋🏽"), "skin tone");
        assertEquals(List.of("1f468-200d-1f469-200d-1f467"), emojiImages("👨‍👩‍👧"), "family: joined by ZWJ");
        assertEquals(List.of("1f1fa-1f1e6", "1f1f3-1f1f1"), emojiImages("🇺🇦🇳🇱"), "two flags side by side");
        assertEquals(List.of("0023-fe0f-20e3"), emojiImages("#️⃣"), "keycap");
        assertEquals(List.of("0023-fe0f-20e3"), emojiImages("#⃣"), "keycap without the selector");
        assertEquals(List.of("1f3f4-e0067-e0062-e0065-e006e-e0067-e007f"), emojiImages("🏴󠁧󠁢󠁥󠁮󠁧󠁿"), "tag sequence");
        assertEquals(List.of("2764-fe0f-200d-1f525"), emojiImages("❤️‍🔥"));
    }

    @Test
    void theSelectorDecidesForSymbolsOlderThanEmoji() {
        assertEquals(List.of(), emojiImages("© ® ™ ↔"), "text without the selector");
        assertEquals(List.of("00a9-fe0f"), emojiImages("©️"));
        assertEquals(List.of("2764-fe0f", "2764-fe0f"), emojiImages("❤ ❤️"), "hearts either way");
        assertEquals(List.of(), emojiImages("❤︎"), "the text selector keeps it text");
        assertEquals(List.of(new Plain("a"), new Emoji("❤️", "2764-fe0f"), new Plain("b")), parse("a❤️b"),
                "the selector belongs to its emoji");
    }

    @Test
    void linksKeepTheirTextAndOpenOverHttp() {
        assertEquals(List.of(new Plain("see "), new Link("https://example.org/a?b=1#c", URI.create("https://example.org/a?b=1#c")),
                new Plain(" now")), parse("see https://example.org/a?b=1#c now"));
        assertEquals(List.of(new Link("www.example.org/x", URI.create("https://www.example.org/x"))), parse("www.example.org/x"));
        assertEquals(List.of(new Link("HTTP://Example.org", URI.create("HTTP://Example.org"))), parse("HTTP://Example.org"));
    }

    @Test
    void punctuationAroundALinkIsNotPartOfIt() {
        assertEquals(List.of(new Plain("Read "), new Link("https://example.org/x", URI.create("https://example.org/x")),
                new Plain(".")), parse("Read https://example.org/x."));
        assertEquals(List.of(new Plain("(see "), new Link("https://example.org/a", URI.create("https://example.org/a")),
                new Plain(")!")), parse("(see https://example.org/a)!"));
        assertEquals(List.of(new Link("https://en.wikipedia.org/wiki/Java_(language)",
                URI.create("https://en.wikipedia.org/wiki/Java_(language)"))), parse("https://en.wikipedia.org/wiki/Java_(language)"));
        assertEquals(List.of(new Plain("\""), new Link("http://a.example", URI.create("http://a.example")), new Plain("\"")),
                parse("\"http://a.example\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "file:///etc/passwd", "https://", "http://exa mple.org", "ftp://example.org",
            "https://a b", "https://{bad}"})
    void onlyWebAddressesWithAHostBecomeLinks(String text) {
        parse(text).stream().filter(Link.class::isInstance).map(run -> ((Link) run).target())
                .forEach(target -> assertTrue(target.getScheme().matches("(?i)https?") && target.getHost() != null, target.toString()));
    }

    @Test
    void noLinkForABareSchemeOrASpaceInTheHost() {
        assertEquals(List.of(new Plain("https://")), parse("https://"));
        assertEquals(List.of(new Plain("javascript:alert(1)")), parse("javascript:alert(1)"));
        assertEquals(List.of(new Plain("https://{bad}")), parse("https://{bad}"));
    }

    @Test
    void emojiNextToALinkStayEmoji() {
        assertEquals(List.of(new Emoji("🎉", "1f389"), new Plain(" "), new Link("https://example.org", URI.create("https://example.org")),
                new Plain(" "), new Emoji("👋", "1f44b")), parse("🎉 https://example.org 👋"));
    }

    @Test
    void aFewEmojiAloneAreDrawnLarge() {
        assertTrue(RichText.parse("👋", EMOJI).onlyFewEmoji());
        assertTrue(RichText.parse(" 👋 🎉❤️ ", EMOJI).onlyFewEmoji());
        assertFalse(RichText.parse("👋🎉❤️😀", EMOJI).onlyFewEmoji(), "four are text-sized");
        assertFalse(RichText.parse("hi 👋", EMOJI).onlyFewEmoji());
        assertFalse(RichText.parse("", EMOJI).onlyFewEmoji());
    }

    @Test
    void aLongMessageHasEveryLinkAndEmoji() {
        String text = ("Lorem ipsum 1234 #5 dolor sit amet, 👋🏽 https://example.org/p?q=1. ").repeat(60);
        List<Run> runs = parse(text);
        assertEquals(60, runs.stream().filter(Link.class::isInstance).count());
        assertEquals(60, runs.stream().filter(Emoji.class::isInstance).count());
    }
}
