package dev.messenger.desktop.ui;

import atlantafx.base.theme.PrimerLight;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.FakeApi;
import dev.messenger.desktop.chat.ChatView;
import dev.messenger.desktop.chat.ChatViewModel;
import dev.messenger.desktop.chat.Outbox;
import dev.messenger.desktop.connection.ServerEndpoint;
import dev.messenger.desktop.conversations.ConversationCell;
import dev.messenger.desktop.conversations.ConversationItem;
import dev.messenger.desktop.login.LoginView;
import dev.messenger.desktop.login.LoginViewModel;
import dev.messenger.desktop.text.EmojiIndex;
import dev.messenger.desktop.text.OneLineText;
import dev.messenger.desktop.text.TextViews;
import javafx.application.Application;
import javafx.collections.FXCollections;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The views on their own, with the app's theme and style sheet but no server: what a narrow window,
 * a long text or a message appearing does to their layout.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ViewsUiTest {
    private static final String STYLESHEET = Objects.requireNonNull(
            ViewsUiTest.class.getResource("/dev/messenger/desktop/messenger.css")).toExternalForm();
    private static final User ME = FakeApi.user("me", "me");
    private static final User ALICE = FakeApi.user("alice", "alice");
    private static final TextViews TEXT_VIEWS = new TextViews(EmojiIndex.bundled(), link -> { });
    private final Preferences outboxNode = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
    private Stage stage;

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
        WaitForAsyncUtils.asyncFx(() -> Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet()))
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        if (stage != null) {
            WaitForAsyncUtils.asyncFx(stage::close).get(10, TimeUnit.SECONDS);
        }
        outboxNode.removeNode();
    }

    private <T extends Parent> T show(Callable<T> view, double width, double height) throws Exception {
        return fx(() -> {
            T root = view.call();
            Scene scene = new Scene(root, width, height);
            scene.getStylesheets().add(STYLESHEET);
            stage = new Stage();
            stage.setScene(scene);
            stage.show();
            return root;
        });
    }

    /** Runs on the JavaFX thread and waits for the layout that follows. */
    private static <T> T fx(Callable<T> action) throws Exception {
        T result = WaitForAsyncUtils.asyncFx(action).get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        return result;
    }

    private static void fx(Runnable action) throws Exception {
        fx(() -> {
            action.run();
            return null;
        });
    }

    /** The text a labeled control draws, which is cut short with "…" when it has too little room. */
    private static String drawn(Labeled labeled) {
        return ((Text) labeled.lookup(".text")).getText();
    }

    private static double sceneY(Node node) {
        return node.localToScene(0, 0).getY();
    }

    @Test
    void theUnreadBadgeKeepsItsNumberBesideALongPreview() throws Exception {
        Message longMessage = Message.newBuilder().setId(1).setSenderId("alice").setRecipientId("me")
                .setText("a long message that goes on and on about the plans for the weekend and who brings what").build();
        ConversationItem item = new ConversationItem(ALICE, longMessage, 12, 0);
        ListView<ConversationItem> list = show(() -> {
            ListView<ConversationItem> view = new ListView<>(FXCollections.observableArrayList(item));
            view.setCellFactory(cells -> new ConversationCell("me", Clock.systemUTC(), TEXT_VIEWS));
            return view;
        }, 300, 200);
        Labeled badge = (Labeled) list.lookup(".unread-badge");
        assertEquals("12", drawn(badge));
        assertTrue(badge.getWidth() >= badge.prefWidth(-1), "as wide as its number needs");
    }

    @Test
    void aConversationWithUnsentTextShowsItsDraftInsteadOfTheLastMessage() throws Exception {
        Message last = Message.newBuilder().setId(1).setSenderId("alice").setRecipientId("me").setText("lunch?").build();
        ConversationItem item = new ConversationItem(ALICE, last, 0, 1);
        ListView<ConversationItem> list = show(() -> {
            ListView<ConversationItem> view = new ListView<>(FXCollections.observableArrayList(ConversationItem::shownState));
            view.getItems().add(item);
            view.setCellFactory(cells -> new ConversationCell("me", Clock.systemUTC(), TEXT_VIEWS));
            return view;
        }, 300, 200);
        assertEquals("lunch?", ((OneLineText) list.lookup(".conversation-preview")).getText());
        fx(() -> item.draft().set("see you\nat  5"));
        assertEquals("Draft: see you at 5", ((OneLineText) list.lookup(".conversation-preview")).getText());
        assertTrue(list.lookup(".conversation-preview").getStyleClass().contains("conversation-draft"));
        fx(() -> item.draft().set(" "));
        assertEquals("lunch?", ((OneLineText) list.lookup(".conversation-preview")).getText(), "blank is no draft");
    }

    private ChatViewModel chat() {
        FakeApi api = new FakeApi(ME);
        return new ChatViewModel(ME, ALICE, api, new Outbox(outboxNode, api, Runnable::run), Runnable::run, Runnable::run,
                Clock.systemUTC(), 0, 0);
    }

    @Test
    void inTheNarrowestWindowTheComposerGivesWayToTheSendButtonAndTheCount() throws Exception {
        ChatViewModel model = chat();
        // The window's minimum width (720) less the sidebar's preferred width (320).
        ChatView view = show(() -> new ChatView(model, Clock.systemUTC(), TEXT_VIEWS), 400, 480);
        fx(() -> model.draft().set("x".repeat(ChatViewModel.MAX_TEXT + 54)));
        assertEquals("Send", drawn((Labeled) view.lookup("#send")));
        assertEquals("-54 left", drawn((Labeled) view.lookup(".remaining")));
    }

    @Test
    void theComposerGrowsWithItsTextToSixLinesThenScrolls() throws Exception {
        ChatViewModel model = chat();
        ChatView view = show(() -> new ChatView(model, Clock.systemUTC(), TEXT_VIEWS), 700, 700);
        Region composer = (Region) view.lookup("#composer");
        double empty = composer.getHeight();
        fx(() -> model.draft().set("two\nlines"));
        assertEquals(empty, composer.getHeight(), "two lines' room to start with");
        assertFalse(scrolls(composer), "and two lines fit in it");

        fx(() -> model.draft().set("1\n2\n3\n4"));
        double four = composer.getHeight();
        assertTrue(four > empty, four + " > " + empty);
        fx(() -> model.draft().set("a line long enough to wrap in a composer of this width; ".repeat(3) + "\n2\n3\n4"));
        assertTrue(composer.getHeight() > four, "wrapped lines count too");

        fx(() -> model.draft().set("1\n2\n3\n4\n5\n6"));
        double six = composer.getHeight();
        assertFalse(scrolls(composer));
        fx(() -> model.draft().set("1\n2\n3\n4\n5\n6\n7\n8\n9\n10"));
        assertEquals(six, composer.getHeight(), "no taller than six lines");
        assertTrue(scrolls(composer), "the rest scrolls");

        fx(() -> model.draft().set(""));
        assertEquals(empty, composer.getHeight(), "back to its size when emptied");
    }

    private static boolean scrolls(Region composer) {
        return composer.lookupAll(".scroll-bar").stream()
                .anyMatch(bar -> bar.isVisible() && ((ScrollBar) bar).getOrientation() == Orientation.VERTICAL);
    }

    @Test
    void theSignInFormDoesNotMoveAsProblemsAndErrorsAppear() throws Exception {
        LoginViewModel model = new LoginViewModel("localhost:8080", endpoint -> new FakeApi(ME),
                ServerEndpoint::of, Runnable::run, Runnable::run, (api, session) -> { });
        LoginView view = show(() -> new LoginView(model), 1000, 720);
        Node username = view.lookup("#username");
        Node password = view.lookup("#password");
        Node submit = view.lookup("#submit");
        double usernameAt = sceneY(username);
        double passwordAt = sceneY(password);
        double submitAt = sceneY(submit);

        fx(() -> model.server().set("no spaces"));
        assertTrue(model.serverProblem().get().length() > 0);
        assertEquals(usernameAt, sceneY(username), "the server's problem takes the line of the connection summary");
        fx(() -> model.server().set("localhost:8080"));

        fx(() -> model.username().set("a b"));
        assertTrue(model.usernameProblem().get().length() > 0);
        assertEquals(passwordAt, sceneY(password), "the username's problem has its line already");
        fx(() -> model.error().set("Can't reach the server at localhost:8080. Check the address and that the server is running."));
        assertEquals(passwordAt, sceneY(password), "an error does not move the fields");
        assertEquals(submitAt, sceneY(submit), "nor the button");
    }
}
