package dev.messenger.desktop.chat;

import atlantafx.base.theme.Styles;
import dev.messenger.desktop.conversations.Avatar;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.time.Clock;

/** The open conversation: header, the message list (virtualized) and the composer. Binds to a {@link ChatViewModel}. */
public final class ChatView extends BorderPane {
    private final ChatViewModel model;
    private final ListView<ChatItem> messages = new ListView<>();
    private final TextArea composer = new GrowingTextArea(2, 6);

    public ChatView(ChatViewModel model, Clock clock) {
        this.model = model;
        getStyleClass().add("chat-view");

        Label name = new Label(model.peer().getDisplayName());
        name.getStyleClass().add(Styles.TITLE_4);
        Label handle = new Label("@" + model.peer().getUsername());
        handle.getStyleClass().add(Styles.TEXT_MUTED);
        HBox header = new HBox(12, new Avatar(model.peer(), 36), new VBox(0, name, handle));
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(10, 16, 10, 16));
        header.getStyleClass().add("chat-header");
        setTop(header);

        messages.setId("messages");
        messages.setItems(model.items());
        // The oldest row becoming visible means the user scrolled to the top: fetch the page before it.
        messages.setCellFactory(list -> new MessageCell(clock, model::retry, model::loadOlder));
        messages.setFocusTraversable(false);
        messages.getStyleClass().addAll(Styles.DENSE, "message-list");
        Label empty = new Label("No messages yet. Say hello!");
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        messages.setPlaceholder(empty);
        setCenter(messages);
        followNewMessages();

        composer.setId("composer");
        composer.setPromptText(model.peer().getDeleted()
                ? "This account was deleted: it receives no more messages."
                : "Write a message…  (Enter sends, Shift+Enter adds a line)");
        composer.setDisable(model.peer().getDeleted());
        composer.textProperty().bindBidirectional(model.draft());
        composer.addEventFilter(KeyEvent.KEY_PRESSED, this::onComposerKey);
        HBox.setHgrow(composer, Priority.ALWAYS);
        Button send = new Button("Send");
        send.setId("send");
        send.getStyleClass().add(Styles.ACCENT);
        send.disableProperty().bind(model.canSend().not());
        send.setOnAction(event -> sendDraft());
        send.setDefaultButton(false);
        Label remaining = new Label();
        remaining.getStyleClass().addAll(Styles.TEXT_SMALL, "remaining");
        remaining.textProperty().bind(model.remaining().asString().concat(" left"));
        remaining.visibleProperty().bind(model.remaining().lessThan(500));
        remaining.styleProperty().bind(javafx.beans.binding.Bindings.when(model.remaining().lessThan(0))
                .then("-fx-text-fill: -color-danger-fg;").otherwise(""));
        Label problem = new Label();
        problem.textProperty().bind(model.problem());
        problem.getStyleClass().add(Styles.DANGER);
        problem.managedProperty().bind(model.problem().isNotEmpty());
        VBox side = new VBox(4, send, remaining);
        side.setAlignment(Pos.BOTTOM_CENTER);
        // In a narrow window the composer gives up width, not the button and the count ("…", "-54 l…").
        side.setMinWidth(Region.USE_PREF_SIZE);
        HBox composerRow = new HBox(8, composer, side);
        composerRow.setPadding(new Insets(8, 12, 12, 12));
        composerRow.setAlignment(Pos.BOTTOM_LEFT);
        setBottom(new VBox(problem, composerRow));
    }

    private void onComposerKey(KeyEvent event) {
        if (event.getCode() != KeyCode.ENTER) {
            return;
        }
        event.consume();
        if (event.isShiftDown()) {
            composer.insertText(composer.getCaretPosition(), "\n");
        } else {
            sendDraft();
        }
    }

    private void sendDraft() {
        model.send();
        composer.requestFocus();
    }

    /**
     * Called when the view is shown again: jumps to the newest message (some may have arrived while
     * it was hidden) and puts the focus in the composer once laid out.
     */
    public void showNewest() {
        if (!model.items().isEmpty()) {
            messages.scrollTo(model.items().size() - 1);
        }
        javafx.application.Platform.runLater(composer::requestFocus);
    }

    /** Scrolls to a message that arrives at the end; keeps the place when older ones are added on top. */
    private void followNewMessages() {
        model.items().addListener((ListChangeListener<ChatItem>) change -> {
            while (change.next()) {
                if (change.wasReplaced() || !change.wasAdded()) {
                    continue;
                }
                if (change.getFrom() == 0 && change.getTo() < model.items().size()) {
                    messages.scrollTo(change.getTo());
                } else {
                    messages.scrollTo(model.items().size() - 1);
                }
            }
        });
    }
}
