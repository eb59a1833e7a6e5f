package dev.messenger.desktop.notifications;

import atlantafx.base.theme.Styles;
import dev.messenger.desktop.people.Avatar;
import dev.messenger.desktop.text.MessageText;
import dev.messenger.desktop.text.TextViews;
import javafx.animation.PauseTransition;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;
import javafx.stage.Screen;
import javafx.stage.Window;
import javafx.util.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Popups for new messages in the corner of the screen: stacked, newest at the bottom, hidden after
 * a few seconds; a click opens the conversation. At most {@value #MAX_VISIBLE} at once: a burst
 * (e.g. catching up after sleep) becomes one summary instead of a flood.
 *
 * <p>Each is a {@link Popup} (the kind of window menus and tooltips are), not a {@code Stage}: a
 * stage is activated when shown, so it took the keyboard from whatever the user was typing in, and
 * JavaFX raises a stage's owner when the stage closes. A popup is never activated (on X11 it is an
 * override-redirect window the window manager does not focus), and closing it leaves the other
 * windows as they are. Only a click on one brings the app forward.
 */
public final class NotificationCenter implements Notifier {
    static final int MAX_VISIBLE = 3;
    private static final double WIDTH = 340;
    private static final double GAP = 2;
    private static final double SHADOW = 8;
    private static final Duration SHOW_FOR = Duration.seconds(6);

    private final Window owner;
    private final Consumer<String> openConversation;
    private final TextViews textViews;
    private final List<Popup> visible = new ArrayList<>();
    private Popup summary;
    private int summarized;

    /** @param openConversation told the sender's user id when a popup is clicked */
    public NotificationCenter(Window owner, Consumer<String> openConversation, TextViews textViews) {
        this.owner = owner;
        this.openConversation = openConversation;
        this.textViews = textViews;
    }

    /** Shows a popup; call on the JavaFX thread. */
    @Override
    public void show(Notification notification) {
        if (visible.size() >= MAX_VISIBLE) {
            summarized++;
            showSummary();
            return;
        }
        Label name = new Label(notification.sender().getDisplayName());
        name.getStyleClass().add(Styles.TEXT_BOLD);
        MessageText preview = textViews.messageText();
        preview.setText(notification.preview());
        preview.setMaxWidth(WIDTH - 90);
        preview.getStyleClass().add("toast-preview");
        // A click anywhere on the popup opens the conversation, also on the text.
        preview.setMouseTransparent(true);
        HBox content = new HBox(10, new Avatar(notification.sender(), 36), new VBox(2, name, preview));
        content.setAlignment(Pos.TOP_LEFT);
        Popup toast = toastPopup(content, "toast");
        content.getParent().setOnMouseClicked(event -> {
            openConversation.accept(notification.sender().getId());
            close(toast);
        });
        visible.add(toast);
        showAtCorner(toast);
        PauseTransition hide = new PauseTransition(SHOW_FOR);
        hide.setOnFinished(event -> close(toast));
        hide.play();
    }

    private void showSummary() {
        Label text = new Label(summarized + " more new " + (summarized == 1 ? "message" : "messages"));
        text.getStyleClass().add(Styles.TEXT_BOLD);
        if (summary == null) {
            summary = toastPopup(text, "toast-summary");
            Popup shown = summary;
            shown.getContent().getFirst().setOnMouseClicked(event -> close(shown));
            showAtCorner(shown);
            PauseTransition hide = new PauseTransition(SHOW_FOR);
            hide.setOnFinished(event -> close(shown));
            hide.play();
        } else {
            VBox card = (VBox) ((VBox) summary.getContent().getFirst()).getChildren().getFirst();
            card.getChildren().setAll(text);
            layout();
        }
    }

    /** A popup's scene takes the owner scene's style sheets, so the card looks like the app. */
    private static Popup toastPopup(Node content, String styleClass) {
        VBox card = new VBox(content);
        card.getStyleClass().addAll("toast", styleClass);
        card.setPadding(new Insets(12));
        // A transparent margin so the card's shadow is not cut off at the window's edge.
        VBox root = new VBox(card);
        root.setPadding(new Insets(SHADOW));
        root.setStyle("-fx-background-color: transparent;");
        root.setPrefWidth(WIDTH + 2 * SHADOW);
        Popup popup = new Popup();
        popup.getContent().add(root);
        // While a popup shows, JavaFX offers it the owner window's keys first; Escape must stay the
        // app's (it closes the open conversation), and the popup has nothing else to handle.
        popup.setHideOnEscape(false);
        return popup;
    }

    private void showAtCorner(Popup toast) {
        Rectangle2D bounds = screenBounds();
        toast.show(owner, bounds.getMaxX() - WIDTH - 2 * SHADOW - GAP, bounds.getMaxY());
        layout();
    }

    private void close(Popup toast) {
        toast.hide();
        if (toast == summary) {
            summary = null;
            summarized = 0;
        }
        visible.remove(toast);
        layout();
    }

    /** Stacks the popups upward from the bottom-right corner of the screen the app is on. */
    private void layout() {
        Rectangle2D bounds = screenBounds();
        double bottom = bounds.getMaxY() - GAP;
        List<Popup> stack = new ArrayList<>(visible);
        if (summary != null) {
            stack.add(summary);
        }
        for (Popup toast : stack.reversed()) {
            double height = toast.getHeight() > 0 ? toast.getHeight() : 80;
            toast.setX(bounds.getMaxX() - WIDTH - 2 * SHADOW - GAP);
            toast.setY(bottom - height);
            bottom -= height + GAP;
        }
    }

    private Rectangle2D screenBounds() {
        return Screen.getScreensForRectangle(owner.getX(), owner.getY(), 1, 1).stream()
                .findFirst().orElse(Screen.getPrimary()).getVisualBounds();
    }

    @Override
    public void closeAll() {
        new ArrayList<>(visible).forEach(this::close);
        if (summary != null) {
            close(summary);
        }
    }
}
