package dev.messenger.desktop.chat;

import dev.messenger.desktop.conversations.TimeFormat;
import javafx.geometry.Pos;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.time.Clock;
import java.time.LocalDate;
import java.util.function.Consumer;

/** A chat bubble (own messages right, the peer's left), with a day separator above the first message of a day. */
final class MessageCell extends ListCell<ChatItem> {
    private final Clock clock;
    private final Consumer<ChatItem> retry;
    private final Runnable firstRowShown;

    MessageCell(Clock clock, Consumer<ChatItem> retry, Runnable firstRowShown) {
        this.clock = clock;
        this.retry = retry;
        this.firstRowShown = firstRowShown;
        getStyleClass().add("message-cell");
    }

    @Override
    protected void updateItem(ChatItem item, boolean empty) {
        super.updateItem(item, empty);
        if (empty || item == null) {
            setGraphic(null);
            setText(null);
            return;
        }
        Label text = new Label(item.text());
        text.setWrapText(true);
        text.getStyleClass().add("message-text");
        ListView<ChatItem> list = getListView();
        text.maxWidthProperty().bind(list.widthProperty().multiply(0.68));
        // Without this a wrapping label in a list cell is cut to one line with an ellipsis.
        text.setMinHeight(Region.USE_PREF_SIZE);

        String footer = TimeFormat.time(item.sentAt(), clock) + switch (item.state()) {
            case SENT -> "";
            case PENDING -> "  · sending…";
            case FAILED -> "  · not sent";
        };
        Label meta = new Label(footer);
        meta.getStyleClass().add("message-meta");
        VBox bubble = new VBox(2, text, meta);
        bubble.getStyleClass().addAll("bubble", item.mine() ? "bubble-mine" : "bubble-theirs");
        if (item.state() == ChatItem.State.PENDING) {
            bubble.getStyleClass().add("bubble-pending");
        }
        if (item.state() == ChatItem.State.FAILED) {
            Hyperlink again = new Hyperlink("Retry");
            again.setOnAction(event -> retry.accept(item));
            Label why = new Label(item.problem());
            why.getStyleClass().add("message-problem");
            why.setWrapText(true);
            bubble.getChildren().addAll(why, again);
        }
        HBox row = new HBox(bubble);
        row.setAlignment(item.mine() ? Pos.CENTER_RIGHT : Pos.CENTER_LEFT);

        VBox cell = new VBox(4);
        if (startsNewDay(item)) {
            Label day = new Label(TimeFormat.day(TimeFormat.localDay(item.sentAt(), clock), clock));
            day.getStyleClass().add("day-separator");
            HBox dayRow = new HBox(day);
            dayRow.setAlignment(Pos.CENTER);
            cell.getChildren().add(dayRow);
        }
        cell.getChildren().add(row);
        setText(null);
        setGraphic(cell);
        setAccessibleText((item.mine() ? "You: " : "") + item.text());
        if (getIndex() == 0) {
            firstRowShown.run();
        }
    }

    private boolean startsNewDay(ChatItem item) {
        int index = getIndex();
        if (index <= 0) {
            return true;
        }
        ChatItem previous = getListView().getItems().get(index - 1);
        LocalDate day = TimeFormat.localDay(item.sentAt(), clock);
        return !TimeFormat.localDay(previous.sentAt(), clock).equals(day);
    }
}
