package dev.messenger.desktop.chat;

import atlantafx.base.theme.Styles;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Skin;
import javafx.scene.control.skin.ListViewSkin;
import javafx.scene.control.skin.VirtualFlow;

import dev.messenger.desktop.text.TextViews;

import java.time.Clock;

/** The conversation's messages, oldest first, in a list that keeps the reader's place (see {@link MessageFlow}). */
final class MessageList extends ListView<ChatItem> {
    private final MessageFlow flow;

    MessageList(ChatViewModel model, Clock clock, TextViews textViews) {
        flow = new MessageFlow(model.items(), model::shown, model::loadOlder);
        setId("messages");
        setCellFactory(list -> new MessageCell(clock, model, textViews));
        setFocusTraversable(false);
        getStyleClass().addAll(Styles.DENSE, "message-list");
        Label empty = new Label("No messages yet. Say hello!");
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        setPlaceholder(empty);
        // The list keeps the heights it measured; rows measured before it has a width would be wrapped to nothing.
        widthProperty().addListener((obs, was, width) -> {
            if (width.doubleValue() > 0 && getItems() != model.items()) {
                setItems(model.items());
            }
        });
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new ListViewSkin<>(this) {
            @Override
            protected VirtualFlow<ListCell<ChatItem>> createVirtualFlow() {
                return flow;
            }
        };
    }

    ReadOnlyBooleanProperty atBottomProperty() {
        return flow.atBottomProperty();
    }

    void followNewest() {
        flow.followNewest();
    }

    void showAtTop(long messageId) {
        flow.showAtTop(messageId);
    }
}
