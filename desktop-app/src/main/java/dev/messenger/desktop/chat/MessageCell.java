package dev.messenger.desktop.chat;

import dev.messenger.desktop.text.MessageText;
import dev.messenger.desktop.text.TextViews;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.time.Clock;
import java.time.LocalDate;

/**
 * A chat bubble (own messages right, the peer's left), with a day separator above the first message
 * of a day and the "N new messages" line above the first unread one. The nodes are made once per
 * cell: the list also uses cells to measure rows it does not show, which must be cheap.
 */
final class MessageCell extends ListCell<ChatItem> {
    private final Clock clock;
    private final ChatViewModel model;
    private final Label day = new Label();
    private final HBox dayRow = new HBox(day);
    private final Label unread = new Label();
    private final HBox unreadRow = new HBox(unread);
    private final MessageText text;
    private final Label meta = new Label();
    private final Label problem = new Label();
    private final Hyperlink retry = new Hyperlink("Retry");
    private final VBox bubble;
    private final BubbleRow row;
    private final VBox content;

    MessageCell(Clock clock, ChatViewModel model, TextViews textViews) {
        this.clock = clock;
        this.model = model;
        this.text = textViews.messageText();
        this.bubble = new VBox(2, text, meta, problem, retry);
        this.row = new BubbleRow(bubble);
        this.content = new VBox(4, dayRow, unreadRow, row);
        getStyleClass().add("message-cell");
        day.getStyleClass().add("day-separator");
        dayRow.setAlignment(Pos.CENTER);
        unreadRow.getStyleClass().add("unread-row");
        unread.getStyleClass().add("unread-separator");
        unread.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(unread, Priority.ALWAYS);
        // Anywhere on the message, not only on its letters.
        bubble.setOnContextMenuRequested(event -> {
            text.showMenu(event.getScreenX(), event.getScreenY());
            event.consume();
        });
        meta.getStyleClass().add("message-meta");
        problem.getStyleClass().add("message-problem");
        problem.setWrapText(true);
        problem.setMinHeight(Region.USE_PREF_SIZE);
        retry.setOnAction(event -> model.retry(getItem()));
        // Let the list decide the width: a long message wraps instead of widening the rows past the list.
        setPrefWidth(0);
    }

    @Override
    protected void updateItem(ChatItem item, boolean empty) {
        super.updateItem(item, empty);
        setText(null);
        if (empty || item == null) {
            setGraphic(null);
            setAccessibleText(null);
            return;
        }
        text.setText(item.text());
        meta.setText(TimeFormat.time(item.sentAt(), clock) + switch (item.state()) {
            case SENT -> "";
            case PENDING -> "  · sending…";
            case FAILED -> "  · not sent";
        });
        bubble.getStyleClass().setAll("bubble", item.mine() ? "bubble-mine" : "bubble-theirs");
        if (item.state() == ChatItem.State.PENDING) {
            bubble.getStyleClass().add("bubble-pending");
        }
        problem.setText(item.problem());
        show(problem, item.state() == ChatItem.State.FAILED);
        show(retry, item.state() == ChatItem.State.FAILED);
        row.setMine(item.mine());

        boolean newDay = startsNewDay(item);
        if (newDay) {
            day.setText(TimeFormat.day(TimeFormat.localDay(item.sentAt(), clock), clock));
        }
        show(dayRow, newDay);
        boolean firstUnread = item.id() != 0 && item.id() == model.unreadMarker().get();
        if (firstUnread) {
            int count = model.unreadMarkerCount().get();
            unread.setText(count == 1 ? "1 new message" : count + " new messages");
        }
        show(unreadRow, firstUnread);
        setGraphic(content);
        setAccessibleText((item.mine() ? "You: " : "") + item.text());
    }

    /**
     * As tall as the content is at the width the list gives the row. (The cell's skin asks its
     * graphic for a height without a width, which for wrapped text is one line per paragraph.)
     */
    @Override
    protected double computePrefHeight(double width) {
        Node graphic = getGraphic();
        if (graphic == null) {
            return super.computePrefHeight(width);
        }
        double inside = width < 0 ? width : width - snappedLeftInset() - snappedRightInset();
        return snappedTopInset() + graphic.prefHeight(inside) + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    private static void show(Node node, boolean shown) {
        node.setVisible(shown);
        node.setManaged(shown);
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
