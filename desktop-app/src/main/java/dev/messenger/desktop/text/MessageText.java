package dev.messenger.desktop.text;

import javafx.geometry.Orientation;
import javafx.geometry.Point2D;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Path;
import javafx.scene.text.HitInfo;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

import java.net.URI;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A message's text as the conversation shows it: wrapped, links underlined and clickable, emoji
 * drawn from the bundled images, and selectable with the mouse (drag, double-click for a word,
 * triple-click for all) and copied with Ctrl+C or the context menu, as the original characters.
 *
 * <p>A {@link TextFlow} counts each embedded node (an emoji image) as one character; {@link #runFlowStarts}
 * and {@link #runTextStarts} translate between its positions and the message's chars.
 */
public final class MessageText extends Region {
    private static final double EMOJI_SIZE = 20;
    private static final double LARGE_EMOJI_SIZE = 32;
    private static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination SELECT_ALL = new KeyCodeCombination(KeyCode.A, KeyCombination.SHORTCUT_DOWN);

    private final EmojiIndex emoji;
    private final EmojiImages images;
    private final Consumer<URI> openLink;
    private final TextFlow flow = new TextFlow();
    private final Path highlight = new Path();
    /** Made on the first right-click: most messages on screen never get one. */
    private ContextMenu menu;
    private String text = "";
    private List<RichText.Run> runs = List.of();
    private int[] runFlowStarts = {0};
    private int[] runTextStarts = {0};
    private int anchor;
    private int caret;

    MessageText(EmojiIndex emoji, EmojiImages images, Consumer<URI> openLink) {
        this.emoji = emoji;
        this.images = images;
        this.openLink = openLink;
        getStyleClass().add("message-text");
        highlight.getStyleClass().add("text-selection");
        highlight.setManaged(false);
        highlight.setMouseTransparent(true);
        highlight.setStrokeWidth(0);
        flow.setCursor(Cursor.TEXT);
        getChildren().addAll(highlight, flow);
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        addEventHandler(MouseEvent.MOUSE_CLICKED, this::clicked);
        addEventHandler(KeyEvent.KEY_PRESSED, this::keyPressed);
        setOnContextMenuRequested(event -> {
            showMenu(event.getScreenX(), event.getScreenY());
            event.consume();
        });
        // Another control took the focus: the selection goes, as in a browser. (Not when the whole
        // window lost it, e.g. to its context menu or another app.)
        focusedProperty().addListener((obs, was, focused) -> {
            if (!focused && getScene() != null && getScene().getWindow() != null && getScene().getWindow().isFocused()) {
                select(caret, caret);
            }
        });
    }

    public String getText() {
        return text;
    }

    /** The message's characters that are selected; empty when none are. */
    public String getSelectedText() {
        return text.substring(textIndex(Math.min(anchor, caret)), textIndex(Math.max(anchor, caret)));
    }

    public void setText(String newText) {
        text = newText;
        RichText rich = RichText.parse(newText, emoji);
        runs = rich.runs();
        double emojiSize = rich.onlyFewEmoji() ? LARGE_EMOJI_SIZE : EMOJI_SIZE;
        List<Node> nodes = new ArrayList<>(runs.size());
        runFlowStarts = new int[runs.size() + 1];
        runTextStarts = new int[runs.size() + 1];
        for (int i = 0; i < runs.size(); i++) {
            RichText.Run run = runs.get(i);
            nodes.add(switch (run) {
                case RichText.Plain plain -> textNode(plain.text(), "text-run");
                case RichText.Link link -> {
                    Text node = textNode(link.text(), "message-link");
                    node.setCursor(Cursor.HAND);
                    yield node;
                }
                case RichText.Emoji glyph -> new EmojiGlyph(images, glyph, emojiSize);
            });
            runFlowStarts[i + 1] = runFlowStarts[i] + (run instanceof RichText.Emoji ? 1 : run.text().length());
            runTextStarts[i + 1] = runTextStarts[i] + run.text().length();
        }
        flow.getChildren().setAll(nodes);
        anchor = 0;
        caret = 0;
        highlight.getElements().clear();
    }

    /** Shows the menu for a right-click at this point on the screen (on the text, or elsewhere on its message). */
    public void showMenu(double screenX, double screenY) {
        String selected = getSelectedText();
        MenuItem copy = new MenuItem(selected.isEmpty() ? "Copy text" : "Copy selection");
        copy.setOnAction(event -> copy(selected.isEmpty() ? text : selected));
        List<MenuItem> items = new ArrayList<>(List.of(copy));
        RichText.Link link = linkAt(flow.screenToLocal(screenX, screenY));
        if (link != null) {
            MenuItem openItem = new MenuItem("Open link");
            openItem.setOnAction(event -> openLink.accept(link.target()));
            MenuItem copyLink = new MenuItem("Copy link");
            copyLink.setOnAction(event -> copy(link.target().toString()));
            items.addAll(List.of(new SeparatorMenuItem(), openItem, copyLink));
        }
        MenuItem selectAll = new MenuItem("Select all");
        selectAll.setOnAction(event -> {
            requestFocus();
            select(0, flowLength());
        });
        items.addAll(List.of(new SeparatorMenuItem(), selectAll));
        if (menu == null) {
            menu = new ContextMenu();
        }
        menu.getItems().setAll(items);
        menu.show(this, screenX, screenY);
    }

    @Override
    public Orientation getContentBias() {
        return Orientation.HORIZONTAL;
    }

    @Override
    protected double computePrefWidth(double height) {
        return snappedLeftInset() + flow.prefWidth(-1) + snappedRightInset();
    }

    @Override
    protected double computePrefHeight(double width) {
        double inside = width < 0 ? -1 : Math.max(0, width - snappedLeftInset() - snappedRightInset());
        return snappedTopInset() + flow.prefHeight(inside) + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected void layoutChildren() {
        double width = Math.max(0, getWidth() - snappedLeftInset() - snappedRightInset());
        flow.resizeRelocate(snappedLeftInset(), snappedTopInset(), width, flow.prefHeight(width));
        highlight.setLayoutX(flow.getLayoutX());
        highlight.setLayoutY(flow.getLayoutY());
        // The lines wrap anew at each width, and the highlight follows them.
        drawSelection();
    }

    private Text textNode(String content, String styleClass) {
        Text node = new Text(content);
        node.getStyleClass().add(styleClass);
        return node;
    }

    private void pressed(MouseEvent event) {
        if (event.getButton() != MouseButton.PRIMARY) {
            return;
        }
        requestFocus();
        int at = flowIndexAt(event);
        if (event.getClickCount() >= 3) {
            select(0, flowLength());
        } else if (event.getClickCount() == 2) {
            selectWordAt(at);
        } else if (event.isShiftDown()) {
            select(anchor, at);
        } else {
            select(at, at);
        }
        event.consume();
    }

    private void dragged(MouseEvent event) {
        if (event.isPrimaryButtonDown()) {
            select(anchor, flowIndexAt(event));
            event.consume();
        }
    }

    private void clicked(MouseEvent event) {
        if (event.getButton() == MouseButton.PRIMARY && event.getClickCount() == 1 && event.isStillSincePress()
                && anchor == caret) {
            RichText.Link link = linkAt(flow.sceneToLocal(event.getSceneX(), event.getSceneY()));
            if (link != null) {
                openLink.accept(link.target());
            }
        }
        event.consume();
    }

    private void keyPressed(KeyEvent event) {
        if (COPY.match(event) && anchor != caret) {
            copy(getSelectedText());
            event.consume();
        } else if (SELECT_ALL.match(event)) {
            select(0, flowLength());
            event.consume();
        }
    }

    private static void copy(String content) {
        ClipboardContent clip = new ClipboardContent();
        clip.putString(content);
        Clipboard.getSystemClipboard().setContent(clip);
    }

    private void select(int from, int to) {
        anchor = Math.clamp(from, 0, flowLength());
        caret = Math.clamp(to, 0, flowLength());
        drawSelection();
    }

    private void drawSelection() {
        if (anchor == caret) {
            highlight.getElements().clear();
        } else {
            highlight.getElements().setAll(flow.rangeShape(Math.min(anchor, caret), Math.max(anchor, caret)));
        }
    }

    /** A word is what {@link BreakIterator} says in the message's text; an emoji on its own is one. */
    private void selectWordAt(int flowIndex) {
        if (text.isEmpty()) {
            return;
        }
        int at = Math.min(textIndex(flowIndex), text.length() - 1);
        BreakIterator words = BreakIterator.getWordInstance();
        words.setText(text);
        int start = words.isBoundary(at) ? at : words.preceding(at);
        select(flowIndex(start), flowIndex(words.following(at)));
    }

    private int flowIndexAt(MouseEvent event) {
        HitInfo hit = flow.hitTest(flow.sceneToLocal(event.getSceneX(), event.getSceneY()));
        return Math.clamp(hit.getInsertionIndex(), 0, flowLength());
    }

    /** The link drawn under this point of the flow, or null. */
    private RichText.Link linkAt(Point2D point) {
        if (point == null || !flow.getLayoutBounds().contains(point)) {
            return null;
        }
        int charIndex = flow.hitTest(point).getCharIndex();
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i) instanceof RichText.Link link
                    && charIndex >= runFlowStarts[i] && charIndex < runFlowStarts[i + 1]
                    && drawnAt(runFlowStarts[i], runFlowStarts[i + 1], point)) {
                return link;
            }
        }
        return null;
    }

    /** A click past a line's end hits that line's last character: only the glyphs' own boxes count. */
    private boolean drawnAt(int from, int to, Point2D point) {
        Path area = new Path(flow.rangeShape(from, to));
        area.setFill(Color.BLACK);
        return area.contains(point);
    }

    private int flowLength() {
        return runFlowStarts[runs.size()];
    }

    /** The message char at this flow position (an emoji's whole sequence counts as its first position). */
    private int textIndex(int flowIndex) {
        for (int i = 0; i < runs.size(); i++) {
            if (flowIndex < runFlowStarts[i + 1]) {
                return runs.get(i) instanceof RichText.Emoji
                        ? runTextStarts[i]
                        : runTextStarts[i] + flowIndex - runFlowStarts[i];
            }
        }
        return text.length();
    }

    /** The flow position of this message char; inside an emoji's sequence, the position after it. */
    private int flowIndex(int textIndex) {
        for (int i = 0; i < runs.size(); i++) {
            if (textIndex < runTextStarts[i + 1]) {
                if (runs.get(i) instanceof RichText.Emoji) {
                    return textIndex == runTextStarts[i] ? runFlowStarts[i] : runFlowStarts[i + 1];
                }
                return runFlowStarts[i] + textIndex - runTextStarts[i];
            }
        }
        return flowLength();
    }
}
