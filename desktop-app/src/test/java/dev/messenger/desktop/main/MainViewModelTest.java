package dev.messenger.desktop.main;

import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.FakeApi;
import dev.messenger.desktop.chat.ChatViewModel;
import dev.messenger.desktop.chat.Outbox;
import dev.messenger.desktop.connection.ConnectionStatus;
import dev.messenger.desktop.connection.ServerAddress;
import dev.messenger.desktop.connection.ServerEndpoint;
import dev.messenger.desktop.conversations.ConversationListViewModel;
import dev.messenger.desktop.notifications.Notification;
import dev.messenger.desktop.people.SearchViewModel;
import dev.messenger.desktop.session.Session;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the main view model itself does: the feed, the connection, the window, and how search and the list work together. */
class MainViewModelTest {
    private final User me = FakeApi.user("me", "me");
    private final User alice = FakeApi.user("alice", "alice");
    private final User bob = FakeApi.user("bob", "bob");
    private final FakeApi api = new FakeApi(me);
    private final List<Notification> popups = new ArrayList<>();
    private final List<String> signOuts = new ArrayList<>();
    private final Preferences outboxNode = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
    private MainViewModel main;
    private ConversationListViewModel conversations;
    private long seq = 7;

    @BeforeEach
    void start() {
        api.users.put(alice.getId(), alice);
        api.users.put(bob.getId(), bob);
        main = started(api);
        conversations = main.conversations();
    }

    private MainViewModel started(FakeApi server) {
        MainViewModel started = new MainViewModel(new Session(ServerEndpoint.of(new ServerAddress("test", 1, false)), "token", me),
                server, new Outbox(outboxNode, server, Runnable::run), Runnable::run, Runnable::run, Clock.systemUTC(),
                popups::add, () -> signOuts.add("signed out"));
        started.start();
        return started;
    }

    @AfterEach
    void forgetOutbox() throws BackingStoreException {
        outboxNode.removeNode();
    }

    private FeedMessage deliver(Message message) {
        FeedMessage entry = FeedMessage.newBuilder().setSeq(++seq).setMessage(message).build();
        main.apply(entry);
        return entry;
    }

    @Test
    void theFeedStartsWhereTheConversationListWasRead() {
        assertEquals(7, api.subscribedAfter);
    }

    @Test
    void eachFeedEntryCountsOnceEvenIfRepeated() {
        FeedMessage entry = deliver(api.store("alice", "me", "hi", ""));
        main.apply(entry);
        main.apply(entry);
        assertEquals(1, conversations.totalUnreadProperty().get());
        assertEquals(1, popups.size());
        assertEquals("hi", popups.getFirst().preview());
        assertEquals("ALICE", popups.getFirst().sender().getDisplayName());
    }

    @Test
    void anEntryTheListWasReadAfterIsNotCountedAgain() {
        main.apply(FeedMessage.newBuilder().setSeq(7).setMessage(api.store("alice", "me", "already listed", "")).build());
        assertEquals(0, conversations.totalUnreadProperty().get());
        assertTrue(conversations.items().isEmpty());
    }

    @Test
    void startingAConversationFromSearchOpensIt() {
        SearchViewModel search = main.search();
        search.search("bo");
        assertEquals(List.of("bob"), search.results().stream().map(User::getUsername).toList());
        search.choose(search.results().getFirst());
        assertEquals("", search.queryProperty().get());
        assertSame(conversations.selectedProperty().get(), conversations.items().getFirst());
        assertEquals("bob", conversations.openChatProperty().get().peer().getUsername());
    }

    @Test
    void searchNeverFindsTheSignedInUser() {
        main.search().search("m");
        assertTrue(main.search().results().isEmpty());
    }

    @Test
    void theWindowTitleNamesTheAccountAndCountsWhatIsUnread() {
        assertEquals("Messenger — me", main.windowTitleProperty().get());
        Message fromAlice = api.store("alice", "me", "1", "");
        deliver(fromAlice);
        deliver(api.store("bob", "me", "2", ""));
        assertEquals("Messenger (2) — me", main.windowTitleProperty().get());
        conversations.openConversationWith("alice");
        conversations.openChatProperty().get().shown(fromAlice.getId());
        assertEquals("Messenger (1) — me", main.windowTitleProperty().get());
    }

    @Test
    void theOpenChatIsLookedAtOnlyWhileTheWindowIsInFront() {
        deliver(api.store("alice", "me", "hi", ""));
        conversations.openConversationWith("alice");
        ChatViewModel chat = conversations.openChatProperty().get();
        assertTrue(chat.looking().get());
        main.windowFocusChanged(false);
        assertFalse(main.windowFocusedProperty().get());
        assertFalse(chat.looking().get());
        main.windowFocusChanged(true);
        assertTrue(chat.looking().get());
    }

    @Test
    void connectionStatusAndSignOutComeFromTheFeed() {
        api.feedListener.onStatus(ConnectionStatus.RECONNECTING);
        assertEquals(ConnectionStatus.RECONNECTING, main.statusProperty().get());
        api.feedListener.onStatus(ConnectionStatus.CONNECTED);
        assertEquals(ConnectionStatus.CONNECTED, main.statusProperty().get());
        api.feedListener.onSignedOut();
        assertEquals(List.of("signed out"), signOuts);
    }

    @Test
    void aConversationListThatCannotBeLoadedLeavesTheAppOfflineSayingWhy() {
        FakeApi unreachable = new FakeApi(me) {
            @Override
            public ListConversationsResponse conversations() {
                throw Status.UNAVAILABLE.asRuntimeException();
            }
        };
        MainViewModel offline = started(unreachable);
        assertEquals(ConnectionStatus.OFFLINE, offline.statusProperty().get());
        assertEquals("Can't reach the server at test:1. Check the address and that the server is running.",
                offline.problemProperty().get());
        assertNull(unreachable.feedListener, "no feed without the position to start it from");
        assertEquals(List.of(), signOuts);
    }

    @Test
    void aSessionEndedBeforeTheListLoadedSignsOut() {
        FakeApi ended = new FakeApi(me) {
            @Override
            public ListConversationsResponse conversations() {
                throw Status.UNAUTHENTICATED.asRuntimeException();
            }
        };
        MainViewModel signedOut = started(ended);
        assertEquals(List.of("signed out"), signOuts);
        assertEquals("", signedOut.problemProperty().get());
    }
}
