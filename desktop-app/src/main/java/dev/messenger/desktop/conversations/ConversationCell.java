package dev.messenger.desktop.conversations;

import dev.messenger.api.v1.Message;
import dev.messenger.desktop.chat.TimeFormat;
import dev.messenger.desktop.people.Avatar;
import dev.messenger.desktop.text.OneLineText;
import dev.messenger.desktop.text.TextViews;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.time.Clock;
import java.time.Instant;

/** A sidebar row: avatar, name, time, last message preview (or the draft), unread badge. */
public final class ConversationCell extends ListCell<ConversationItem> {
    private final String myId;
    private final Clock clock;
    private final TextViews textViews;

    public ConversationCell(String myId, Clock clock, TextViews textViews) {
        this.myId = myId;
        this.clock = clock;
        this.textViews = textViews;
        getStyleClass().add("conversation-cell");
        // Let the list decide the width; otherwise a long preview widens the cell past the sidebar.
        setPrefWidth(0);
    }

    @Override
    protected void updateItem(ConversationItem item, boolean empty) {
        super.updateItem(item, empty);
        if (empty || item == null) {
            setGraphic(null);
            setText(null);
            return;
        }
        Label name = new Label(item.peer().getDisplayName());
        name.getStyleClass().add("conversation-name");
        name.setMinWidth(0);
        Message last = item.lastMessage().get();
        Label time = new Label(last == null ? "" : TimeFormat.shortTime(
                Instant.ofEpochSecond(last.getSentAt().getSeconds()), clock));
        time.getStyleClass().add("conversation-time");
        time.setMinWidth(Region.USE_PREF_SIZE);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox top = new HBox(6, name, gap, time);
        top.setAlignment(Pos.CENTER_LEFT);

        String draft = item.draft().get();
        String preview;
        if (!draft.isBlank()) {
            preview = "Draft: " + flat(draft);
        } else if (last == null) {
            preview = "No messages yet";
        } else {
            preview = (last.getSenderId().equals(myId) ? "You: " : "") + flat(last.getText());
        }
        OneLineText previewText = textViews.oneLineText();
        previewText.setText(preview);
        previewText.getStyleClass().add("conversation-preview");
        if (!draft.isBlank()) {
            previewText.getStyleClass().add("conversation-draft");
        }
        previewText.setMaxWidth(Double.MAX_VALUE);
        previewText.setMinWidth(0);
        HBox.setHgrow(previewText, Priority.ALWAYS);
        HBox bottom = new HBox(6, previewText);
        bottom.setAlignment(Pos.CENTER_LEFT);
        int unread = item.unread().get();
        if (unread > 0) {
            Label badge = new Label(unread > 99 ? "99+" : Integer.toString(unread));
            badge.getStyleClass().add("unread-badge");
            // The preview gives way to a long text, never the count: without this the row shrinks both.
            badge.setMinWidth(Region.USE_PREF_SIZE);
            bottom.getChildren().add(badge);
        }
        VBox text = new VBox(2, top, bottom);
        HBox.setHgrow(text, Priority.ALWAYS);
        text.setMinWidth(0);
        HBox row = new HBox(10, new Avatar(item.peer(), 40), text);
        row.setAlignment(Pos.CENTER_LEFT);
        setText(null);
        setGraphic(row);
        setAccessibleText(item.peer().getDisplayName() + (unread > 0 ? ", " + unread + " unread" : ""));
    }

    private static String flat(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
