package dev.messenger.desktop.chat;

import atlantafx.base.theme.Styles;
import dev.messenger.desktop.people.Avatar;
import dev.messenger.desktop.text.TextViews;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.time.Clock;

/** The open conversation: header, the message list (virtualized) and the composer. Binds to a {@link ChatViewModel}. */
public final class ChatView extends BorderPane {
    private final ChatViewModel model;
    private final MessageList messages;
    private final Button newBelow = new Button();
    private final TextArea composer = new GrowingTextArea(2, 6);

    public ChatView(ChatViewModel model, Clock clock, TextViews textViews) {
        this.model = model;
        this.messages = new MessageList(model, clock, textViews);
        getStyleClass().add("chat-view");

        Label name = new Label(model.peer().getDisplayName());
        name.setId("chatTitle");
        name.getStyleClass().add(Styles.TITLE_4);
        Label handle = new Label("@" + model.peer().getUsername());
        handle.getStyleClass().add(Styles.TEXT_MUTED);
        HBox header = new HBox(12, new Avatar(model.peer(), 36), new VBox(0, name, handle));
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(10, 16, 10, 16));
        header.getStyleClass().add("chat-header");
        setTop(header);

        newBelow.setId("newBelow");
        newBelow.getStyleClass().addAll(Styles.ACCENT, Styles.ROUNDED, "new-below");
        newBelow.textProperty().bind(Bindings.format("↓ %d new", model.newBelow()));
        // Only while reading history: at the bottom new messages scroll into view themselves.
        newBelow.visibleProperty().bind(model.newBelow().greaterThan(0).and(messages.atBottomProperty().not()));
        newBelow.setOnAction(event -> messages.followNewest());
        StackPane.setAlignment(newBelow, Pos.BOTTOM_RIGHT);
        StackPane.setMargin(newBelow, new Insets(0, 28, 14, 0));
        setCenter(new StackPane(messages, newBelow));

        // A new "N new messages" line: the rows show it, and the conversation opens there.
        model.unreadMarkerCount().addListener(obs -> messages.refresh());
        model.unreadMarker().addListener((obs, was, marker) -> {
            messages.refresh();
            if (marker.longValue() != 0) {
                messages.showAtTop(marker.longValue());
            }
        });
        if (model.unreadMarker().get() != 0) {
            messages.showAtTop(model.unreadMarker().get());
        }

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
        remaining.styleProperty().bind(Bindings.when(model.remaining().lessThan(0))
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
        if (model.canSend().get()) {
            // Like any chat: what you send is shown, also when you were reading further up.
            messages.followNewest();
        }
        model.send();
        composer.requestFocus();
    }

    /** Called when the view is shown (again): the conversation stays where it was; the focus goes to the composer once laid out. */
    public void shown() {
        Platform.runLater(composer::requestFocus);
    }
}
