package dev.messenger.desktop.main;

import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.FakeApi;
import dev.messenger.desktop.chat.ChatViewModel;
import dev.messenger.desktop.chat.Outbox;
import dev.messenger.desktop.connection.ConnectionStatus;
import dev.messenger.desktop.connection.FeedListener;
import dev.messenger.desktop.connection.LiveFeed;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void aServerDownAtStartIsShownOfflineAndTriedAgainUntilTheListLoads() throws Exception {
        AtomicInteger refusals = new AtomicInteger(3);
        CompletableFuture<Long> subscribed = new CompletableFuture<>();
        FakeApi restarting = new FakeApi(me) {
            @Override
            public ListConversationsResponse conversations() {
                if (refusals.getAndDecrement() > 0) {
                    throw Status.UNAVAILABLE.asRuntimeException();
                }
                return super.conversations();
            }

            @Override
            public LiveFeed subscribe(long afterSeq, FeedListener listener) {
                subscribed.complete(afterSeq);
                return super.subscribe(afterSeq, listener);
            }
        };
        CompletableFuture<String> problem = new CompletableFuture<>();
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            MainViewModel offline = new MainViewModel(new Session(ServerEndpoint.of(new ServerAddress("test", 1, false)), "token", me),
                    restarting, new Outbox(outboxNode, restarting, Runnable::run), io, Runnable::run, Clock.systemUTC(),
                    popups::add, () -> signOuts.add("signed out"));
            offline.problemProperty().addListener((obs, was, now) -> problem.complete(now));
            offline.start();
            assertEquals("Can't reach the server at test:1. Check the address and that the server is running.",
                    problem.get(10, TimeUnit.SECONDS));
            assertEquals(ConnectionStatus.OFFLINE, offline.statusProperty().get());
            assertFalse(subscribed.isDone(), "no feed without the position to start it from");

            offline.reconnectNow();
            assertEquals(7, subscribed.get(20, TimeUnit.SECONDS), "the feed starts where the list was read, once it loads");
            assertEquals(-1, refusals.get(), "tried until it answered, then no more");
            offline.close();
        }
        assertEquals(List.of(), signOuts);
    }

    @Test
    void closingStopsTryingAServerThatIsDown() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        FakeApi down = new FakeApi(me) {
            @Override
            public ListConversationsResponse conversations() {
                attempts.incrementAndGet();
                throw Status.UNAVAILABLE.asRuntimeException();
            }
        };
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            MainViewModel offline = new MainViewModel(new Session(ServerEndpoint.of(new ServerAddress("test", 1, false)), "token", me),
                    down, new Outbox(outboxNode, down, Runnable::run), io, Runnable::run, Clock.systemUTC(),
                    popups::add, () -> signOuts.add("signed out"));
            offline.start();
            while (attempts.get() == 0) {
                Thread.sleep(10);
            }
            offline.close();
        }
        // The executor's close waited for the retry loop: it ended instead of waiting out its back-off forever.
        int afterClose = attempts.get();
        Thread.sleep(1_200);
        assertEquals(afterClose, attempts.get());
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
