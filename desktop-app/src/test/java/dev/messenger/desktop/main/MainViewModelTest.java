package dev.messenger.desktop.main;

import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.FakeApi;
import dev.messenger.desktop.chat.ChatViewModel;
import dev.messenger.desktop.chat.Outbox;
import dev.messenger.desktop.connection.ConnectionStatus;
import dev.messenger.desktop.connection.ServerAddress;
import dev.messenger.desktop.connection.ServerEndpoint;
import dev.messenger.desktop.conversations.ConversationItem;
import dev.messenger.desktop.notifications.Notification;
import dev.messenger.desktop.session.Session;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainViewModelTest {
    private final User me = FakeApi.user("me", "me");
    private final User alice = FakeApi.user("alice", "alice");
    private final User bob = FakeApi.user("bob", "bob");
    private final FakeApi api = new FakeApi(me);
    private final List<Notification> popups = new ArrayList<>();
    private final List<String> signOuts = new ArrayList<>();
    private final Preferences outboxNode = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
    private MainViewModel main;
    private long seq = 7;

    @BeforeEach
    void start() {
        api.users.put(alice.getId(), alice);
        api.users.put(bob.getId(), bob);
        main = new MainViewModel(new Session(ServerEndpoint.of(new ServerAddress("test", 1, false)), "token", me), api, new Outbox(outboxNode, api, Runnable::run),
                Runnable::run, Runnable::run, Clock.systemUTC(), popups::add, () -> signOuts.add("signed out"));
        main.start();
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
        assertEquals(1, main.totalUnread().get());
        assertEquals(1, popups.size());
        assertEquals("hi", popups.getFirst().preview());
        assertEquals("ALICE", popups.getFirst().sender().getDisplayName());
    }

    @Test
    void unreadCountsAddUpAcrossConversationsAndTheListSortsByActivity() {
        deliver(api.store("alice", "me", "1", ""));
        deliver(api.store("bob", "me", "2", ""));
        deliver(api.store("alice", "me", "3", ""));
        assertEquals(3, main.totalUnread().get());
        assertEquals(List.of("alice", "bob"), main.conversations().stream().map(ConversationItem::peerId).toList());
        deliver(api.store("bob", "me", "4", ""));
        assertEquals(List.of("bob", "alice"), main.conversations().stream().map(ConversationItem::peerId).toList());
    }

    @Test
    void aMessageInTheOpenFocusedConversationIsReadOnceShownAndNeverPopsUp() {
        Message first = api.store("alice", "me", "first", "");
        deliver(first);
        main.openConversation("alice");
        assertEquals(1, main.totalUnread().get(), "opening alone reads nothing");
        ChatViewModel chat = main.openChat().get();
        chat.shown(first.getId());
        assertEquals(0, main.totalUnread().get());
        popups.clear();

        Message next = api.store("alice", "me", "second", "");
        deliver(next);
        assertTrue(popups.isEmpty());
        assertEquals("second", chat.items().getLast().text());
        assertEquals(1, main.totalUnread().get(), "unread until shown (the user may be reading further up)");
        chat.shown(next.getId());
        assertEquals(0, main.totalUnread().get());
        assertEquals(next.getId(), api.markedRead.getLast());
    }

    @Test
    void anUnfocusedWindowStillGetsPopupsAndBadges() {
        Message first = api.store("alice", "me", "first", "");
        deliver(first);
        main.openConversation("alice");
        ChatViewModel chat = main.openChat().get();
        chat.shown(first.getId());
        popups.clear();
        main.windowFocused().set(false);
        Message away = api.store("alice", "me", "while away", "");
        deliver(away);
        assertEquals(1, main.totalUnread().get());
        assertEquals(1, popups.size());
        chat.shown(away.getId());
        assertEquals(1, main.totalUnread().get(), "on screen, but the window is not in front");

        main.windowFocused().set(true);
        assertEquals(0, main.totalUnread().get());
    }

    @Test
    void theBadgeCountsWhatIsNotShownYetInAConversationSwitchedAway() {
        Message first = api.store("alice", "me", "first", "");
        deliver(first);
        deliver(api.store("bob", "me", "hi", ""));
        main.openConversation("alice");
        ChatViewModel alicesChat = main.openChat().get();
        main.openConversation("bob");
        alicesChat.shown(first.getId());
        assertEquals(2, main.totalUnread().get(), "Alice's conversation is not open any more");
        main.openConversation("alice");
        assertEquals(1, main.totalUnread().get(), "open again, what it shows is read");
    }

    @Test
    void ownMessagesFromOtherSessionsUpdateTheListWithoutBadges() {
        deliver(api.store("me", "bob", "sent from my phone", "phone-1"));
        assertEquals(0, main.totalUnread().get());
        assertTrue(popups.isEmpty());
        assertEquals("sent from my phone", main.conversations().getFirst().lastMessage().get().getText());
        assertEquals("bob", main.conversations().getFirst().peer().getUsername(), "the new peer's profile is fetched");
    }

    @Test
    void startingAConversationFromSearchOpensIt() {
        main.searchQuery().set("bo");
        assertEquals(List.of("bob"), main.searchResults().stream().map(User::getUsername).toList());
        main.openConversationWith(main.searchResults().getFirst());
        assertEquals("", main.searchQuery().get());
        assertSame(main.selected().get(), main.conversations().getFirst());
        assertEquals("bob", main.openChat().get().peer().getUsername());
    }

    @Test
    void theWindowTitleNamesTheAccountAndCountsWhatIsUnread() {
        assertEquals("Messenger — me", main.windowTitle().get());
        Message fromAlice = api.store("alice", "me", "1", "");
        deliver(fromAlice);
        deliver(api.store("bob", "me", "2", ""));
        assertEquals("Messenger (2) — me", main.windowTitle().get());
        main.openConversation("alice");
        main.openChat().get().shown(fromAlice.getId());
        assertEquals("Messenger (1) — me", main.windowTitle().get());
    }

    @Test
    void closingTheConversationLeavesNothingOpenAndItsMessagesCountAsUnreadAgain() {
        Message first = api.store("alice", "me", "first", "");
        deliver(first);
        main.openConversation("alice");
        main.openChat().get().shown(first.getId());
        assertEquals(0, main.totalUnread().get(), "read once shown");
        popups.clear();

        main.closeConversation();
        assertNull(main.openChat().get());
        assertNull(main.selected().get());
        deliver(api.store("alice", "me", "while closed", ""));
        assertEquals(1, main.totalUnread().get(), "nobody is looking at it");
        assertEquals(1, popups.size());
    }

    @Test
    void whatIsTypedAndNotSentIsTheConversationsDraftWhileAnotherIsOpen() {
        deliver(api.store("alice", "me", "lunch?", ""));
        deliver(api.store("bob", "me", "hi", ""));
        ConversationItem alicesRow = main.conversations().stream().filter(item -> item.peerId().equals("alice")).findFirst().orElseThrow();
        main.openConversation("alice");
        main.openChat().get().draft().set("see you at");
        assertEquals("", alicesRow.draft().get(), "the open conversation's composer shows it");

        main.openConversation("bob");
        assertEquals("see you at", alicesRow.draft().get());
        main.closeConversation();
        assertEquals("see you at", alicesRow.draft().get(), "also when none is open");
        main.openConversation("alice");
        assertEquals("see you at", main.openChat().get().draft().get(), "the composer has it back");

        main.openChat().get().draft().set("see you at 5");
        main.openChat().get().send();
        main.closeConversation();
        assertEquals("", alicesRow.draft().get(), "sent: no draft");
    }

    @Test
    void connectionStatusAndSignOutComeFromTheFeed() {
        api.feedListener.onStatus(ConnectionStatus.RECONNECTING);
        assertEquals(ConnectionStatus.RECONNECTING, main.status().get());
        api.feedListener.onStatus(ConnectionStatus.CONNECTED);
        assertEquals(ConnectionStatus.CONNECTED, main.status().get());
        api.feedListener.onSignedOut();
        assertEquals(List.of("signed out"), signOuts);
    }
}
