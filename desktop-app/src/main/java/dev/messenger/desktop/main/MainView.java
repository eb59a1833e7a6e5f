package dev.messenger.desktop.main;

import atlantafx.base.theme.Styles;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.chat.ChatView;
import dev.messenger.desktop.connection.ConnectionStatus;
import dev.messenger.desktop.conversations.ConversationCell;
import dev.messenger.desktop.conversations.ConversationItem;
import dev.messenger.desktop.conversations.ConversationListViewModel;
import dev.messenger.desktop.people.Avatar;
import dev.messenger.desktop.people.SearchViewModel;
import dev.messenger.desktop.people.UserCell;
import dev.messenger.desktop.settings.AppPreferences;
import dev.messenger.desktop.settings.SettingsView;
import dev.messenger.desktop.text.TextViews;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** The signed-in window: sidebar (me, status, search, conversations) and the open conversation. */
public final class MainView extends BorderPane {
    private final MainViewModel model;
    private final Clock clock;
    private final TextViews textViews;
    private final Map<String, ChatView> chatViews = new HashMap<>();
    private final TextField search = new TextField();
    private final ListView<ConversationItem> conversations;

    /**
     * @param textViews   how message text is drawn (emoji, links)
     * @param preferences this computer's theme and notification choices (☰ menu, Settings)
     * @param onSignOut   the user chose Sign out
     * @param onAccountDeleted the user deleted their account in the settings
     */
    public MainView(MainViewModel model, Clock clock, TextViews textViews, AppPreferences preferences,
                    Runnable onSignOut, Runnable onAccountDeleted) {
        this.model = model;
        this.clock = clock;
        this.textViews = textViews;
        this.conversations = new ListView<>(model.conversations().items());
        getStyleClass().add("main-view");
        setLeft(sidebar(preferences, onSignOut,
                () -> SettingsView.open(this, model.settings(onAccountDeleted), preferences)));
        Label placeholder = new Label("Select a conversation, or search for someone to write to.");
        placeholder.getStyleClass().add(Styles.TEXT_MUTED);
        StackPane empty = new StackPane(placeholder);
        empty.getStyleClass().add("chat-placeholder");
        setCenter(empty);
        model.conversations().openChatProperty().addListener((obs, was, chat) -> {
            if (chat == null) {
                setCenter(empty);
                // Where the keyboard can pick the next conversation (the composer it was in is gone).
                conversations.requestFocus();
                return;
            }
            ChatView view = chatViews.computeIfAbsent(chat.peer().getId(), id -> new ChatView(chat, clock, textViews));
            setCenter(view);
            view.shown();
        });
        // On the scene, so they work wherever the focus is; removed with this view (signing out keeps the scene).
        KeyCodeCombination findPeople = new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN);
        KeyCodeCombination closeChat = new KeyCodeCombination(KeyCode.ESCAPE);
        sceneProperty().addListener((obs, was, scene) -> {
            if (was != null) {
                was.getAccelerators().remove(findPeople);
                was.getAccelerators().remove(closeChat);
            }
            if (scene != null) {
                scene.getAccelerators().put(findPeople, search::requestFocus);
                // An accelerator runs only for a key nothing consumed: a menu, or the search field
                // clearing itself, keeps its Escape.
                scene.getAccelerators().put(closeChat, model.conversations()::closeConversation);
            }
        });
    }

    private VBox sidebar(AppPreferences preferences, Runnable onSignOut, Runnable onOpenSettings) {
        Label name = new Label();
        name.setId("myName");
        name.textProperty().bind(Bindings.createStringBinding(() -> model.me().getDisplayName(), model.meProperty()));
        name.getStyleClass().add(Styles.TEXT_BOLD);
        Circle dot = new Circle(4);
        dot.getStyleClass().add("status-dot");
        Label status = new Label();
        status.setId("connectionStatus");
        status.getStyleClass().add(Styles.TEXT_SMALL);
        var connection = model.statusProperty();
        status.textProperty().bind(Bindings.createStringBinding(() -> connection.get().label(), connection));
        connection.addListener((obs, was, now) -> updateStatusStyle(dot, now));
        updateStatusStyle(dot, connection.get());
        Hyperlink retry = new Hyperlink("Retry now");
        retry.setId("reconnectNow");
        retry.getStyleClass().add(Styles.TEXT_SMALL);
        retry.setPadding(Insets.EMPTY);
        retry.setOnAction(event -> model.reconnectNow());
        var waiting = Bindings.createBooleanBinding(() -> connection.get() == ConnectionStatus.OFFLINE
                || connection.get() == ConnectionStatus.RECONNECTING, connection);
        retry.visibleProperty().bind(waiting);
        retry.managedProperty().bind(waiting);
        HBox statusRow = new HBox(6, dot, status, retry);
        statusRow.setAlignment(Pos.CENTER_LEFT);

        CheckMenuItem dark = new CheckMenuItem("Dark theme");
        dark.selectedProperty().bindBidirectional(preferences.darkTheme());
        MenuItem settings = new MenuItem("Settings…");
        settings.setId("settings");
        settings.setAccelerator(new KeyCodeCombination(KeyCode.COMMA, KeyCombination.SHORTCUT_DOWN));
        settings.setOnAction(event -> onOpenSettings.run());
        MenuItem signOut = new MenuItem("Sign out");
        signOut.setId("signOut");
        signOut.setOnAction(event -> onSignOut.run());
        MenuButton menu = new MenuButton("☰", null, settings, dark, new SeparatorMenuItem(), signOut);
        menu.setId("menu");
        menu.getStyleClass().addAll(Styles.FLAT, Styles.BUTTON_ICON);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox header = new HBox(10, new Avatar(model.me(), 36), new VBox(1, name, statusRow), gap, menu);
        model.meProperty().addListener((obs, was, me) -> header.getChildren().set(0, new Avatar(me, 36)));
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(12));

        SearchViewModel peopleSearch = model.search();
        search.setId("search");
        search.setPromptText("Search people (Ctrl+K)");
        // Not a bidirectional binding: the query is read-only outside its model, which clears it
        // when someone is chosen; the field follows it then.
        search.textProperty().addListener((obs, was, text) -> peopleSearch.search(text));
        peopleSearch.queryProperty().addListener((obs, was, query) -> {
            if (!search.getText().equals(query)) {
                search.setText(query);
            }
        });
        search.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ESCAPE && peopleSearch.searchingProperty().get()) {
                peopleSearch.clear();
                event.consume();
            }
        });
        VBox.setMargin(search, new Insets(0, 12, 8, 12));

        ConversationListViewModel conversationList = model.conversations();
        conversations.setId("conversations");
        conversations.setCellFactory(list -> new ConversationCell(model.me().getId(), clock, textViews));
        // The list's selection flickers (to none and back) whenever one of its items changes, also
        // while the model changes which conversation is open (the one left gets its draft, the one
        // opened its unread count reset): what the user picked is what is still selected after that.
        conversations.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> {
            if (now != null) {
                Platform.runLater(() -> {
                    if (conversations.getSelectionModel().getSelectedItem() == now) {
                        conversationList.open(now);
                    }
                });
            }
        });
        conversationList.selectedProperty().addListener((obs, was, now) -> {
            if (now == null) {
                conversations.getSelectionModel().clearSelection();
            } else if (conversations.getSelectionModel().getSelectedItem() != now) {
                conversations.getSelectionModel().select(now);
            }
        });
        Label noConversations = new Label("No conversations yet.\nSearch for someone above.");
        noConversations.getStyleClass().add(Styles.TEXT_MUTED);
        conversations.setPlaceholder(noConversations);

        ListView<User> results = new ListView<>(peopleSearch.results());
        results.setId("searchResults");
        results.setCellFactory(list -> new UserCell());
        results.setOnMouseClicked(event -> chooseResult(results));
        results.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER) {
                chooseResult(results);
            }
        });
        Label nobody = new Label("Nobody found");
        nobody.getStyleClass().add(Styles.TEXT_MUTED);
        results.setPlaceholder(nobody);
        search.setOnAction(event -> peopleSearch.chooseFirst());
        results.visibleProperty().bind(peopleSearch.searchingProperty());
        conversations.visibleProperty().bind(peopleSearch.searchingProperty().not());
        StackPane lists = new StackPane(conversations, results);
        VBox.setVgrow(lists, Priority.ALWAYS);

        Label problem = new Label();
        problem.setWrapText(true);
        problem.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.DANGER);
        problem.textProperty().bind(model.problemProperty());
        problem.managedProperty().bind(model.problemProperty().isNotEmpty());
        problem.setPadding(new Insets(0, 12, 8, 12));

        VBox sidebar = new VBox(header, search, problem, lists);
        if (model.session().server().address().insecure()) {
            Label insecure = new Label("Unencrypted connection to " + model.session().server().address().host()
                    + ": others on the network can read your messages.");
            insecure.setId("insecureWarning");
            insecure.setWrapText(true);
            insecure.getStyleClass().addAll(Styles.TEXT_SMALL, "insecure-warning");
            insecure.setMaxWidth(Double.MAX_VALUE);
            VBox.setMargin(insecure, new Insets(0, 0, 8, 0));
            sidebar.getChildren().add(1, insecure);
        }
        sidebar.getStyleClass().add("sidebar");
        sidebar.setPrefWidth(320);
        sidebar.setMinWidth(260);
        return sidebar;
    }

    private void chooseResult(ListView<User> results) {
        User user = results.getSelectionModel().getSelectedItem();
        if (user != null) {
            model.search().choose(user);
        }
    }

    private static void updateStatusStyle(Circle dot, ConnectionStatus status) {
        dot.getStyleClass().removeAll("connected", "reconnecting", "offline");
        dot.getStyleClass().add(switch (status) {
            case CONNECTED -> "connected";
            case CONNECTING, RECONNECTING -> "reconnecting";
            case OFFLINE -> "offline";
        });
    }
}
