package dev.messenger.desktop.conversations;

import dev.messenger.api.v1.Conversation;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.FakeApi;
import dev.messenger.desktop.chat.ChatViewModel;
import dev.messenger.desktop.chat.Outbox;
import dev.messenger.desktop.notifications.Notification;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversationListViewModelTest {
    private final User me = FakeApi.user("me", "me");
    private final User alice = FakeApi.user("alice", "alice");
    private final User bob = FakeApi.user("bob", "bob");
    private final FakeApi api = new FakeApi(me);
    private final SimpleBooleanProperty windowFocused = new SimpleBooleanProperty(true);
    private final List<Notification> popups = new ArrayList<>();
    private final Preferences outboxNode = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
    private ConversationListViewModel list;

    @BeforeEach
    void start() {
        api.users.put(alice.getId(), alice);
        api.users.put(bob.getId(), bob);
        list = list(Runnable::run);
    }

    private ConversationListViewModel list(Executor io) {
        return new ConversationListViewModel(new SimpleObjectProperty<>(me), api, new Outbox(outboxNode, api, Runnable::run),
                io, Runnable::run, Clock.systemUTC(), windowFocused, popups::add);
    }

    @AfterEach
    void forgetOutbox() throws BackingStoreException {
        outboxNode.removeNode();
    }

    private ConversationItem row(String peerId) {
        return list.items().stream().filter(item -> item.peerId().equals(peerId)).findFirst().orElseThrow();
    }

    private List<String> peerIds() {
        return list.items().stream().map(ConversationItem::peerId).toList();
    }

    @Test
    void theListedConversationsShowSortedByActivityWithTheirUnreadCounts() {
        Message older = api.store("bob", "me", "older", "");
        Message newer = api.store("me", "alice", "newer", "");
        list.showListed(List.of(
                Conversation.newBuilder().setPeer(bob).setLastMessage(older).setUnreadCount(2).build(),
                Conversation.newBuilder().setPeer(alice).setLastMessage(newer).setLastReadMessageId(older.getId()).build()));
        assertEquals(List.of("alice", "bob"), peerIds());
        assertEquals(2, row("bob").unread().get());
        assertEquals(older.getId(), row("alice").lastReadId());
        assertEquals(2, list.totalUnreadProperty().get());
        assertTrue(popups.isEmpty(), "what was there before is no news");
    }

    @Test
    void unreadCountsAddUpAcrossConversationsAndTheListSortsByActivity() {
        list.receive(api.store("alice", "me", "1", ""));
        list.receive(api.store("bob", "me", "2", ""));
        list.receive(api.store("alice", "me", "3", ""));
        assertEquals(3, list.totalUnreadProperty().get());
        assertEquals(List.of("alice", "bob"), peerIds());
        list.receive(api.store("bob", "me", "4", ""));
        assertEquals(List.of("bob", "alice"), peerIds());
    }

    @Test
    void someoneNewWritingFirstGetsARowWithTheirProfileAndThePopupNamesThem() {
        list.receive(api.store("alice", "me", "hello", ""));
        assertEquals("ALICE", row("alice").peer().getDisplayName());
        assertEquals(1, row("alice").unread().get());
        assertEquals(1, popups.size());
        assertEquals("ALICE", popups.getFirst().sender().getDisplayName());
        assertEquals("hello", popups.getFirst().preview());
    }

    @Test
    void aNewPeersRowOpenedBeforeTheirProfileArrivedStaysOpen() {
        Deque<Runnable> network = new ArrayDeque<>();
        list = list(network::add);
        list.receive(api.store("alice", "me", "hello", ""));
        ConversationItem placeholder = list.items().getFirst();
        assertEquals("New conversation", placeholder.peer().getDisplayName());
        list.open(placeholder);
        ChatViewModel chat = list.openChatProperty().get();

        while (!network.isEmpty()) {
            network.poll().run();
        }

        ConversationItem real = list.selectedProperty().get();
        assertEquals("ALICE", real.peer().getDisplayName());
        assertSame(real, list.items().getFirst());
        assertEquals(1, list.items().size());
        assertSame(chat, list.openChatProperty().get(), "the same chat stays open");
    }

    @Test
    void aMessageInTheOpenFocusedConversationIsReadOnceShownAndNeverPopsUp() {
        Message first = api.store("alice", "me", "first", "");
        list.receive(first);
        list.openConversationWith("alice");
        assertEquals(1, list.totalUnreadProperty().get(), "opening alone reads nothing");
        ChatViewModel chat = list.openChatProperty().get();
        chat.shown(first.getId());
        assertEquals(0, list.totalUnreadProperty().get());
        popups.clear();

        Message next = api.store("alice", "me", "second", "");
        list.receive(next);
        assertTrue(popups.isEmpty());
        assertEquals("second", chat.items().getLast().text());
        assertEquals(1, list.totalUnreadProperty().get(), "unread until shown (the user may be reading further up)");
        chat.shown(next.getId());
        assertEquals(0, list.totalUnreadProperty().get());
        assertEquals(next.getId(), api.markedRead.getLast());
    }

    @Test
    void anUnfocusedWindowStillGetsPopupsAndBadges() {
        Message first = api.store("alice", "me", "first", "");
        list.receive(first);
        list.openConversationWith("alice");
        ChatViewModel chat = list.openChatProperty().get();
        chat.shown(first.getId());
        popups.clear();
        windowFocused.set(false);
        Message away = api.store("alice", "me", "while away", "");
        list.receive(away);
        assertEquals(1, list.totalUnreadProperty().get());
        assertEquals(1, popups.size());
        chat.shown(away.getId());
        assertEquals(1, list.totalUnreadProperty().get(), "on screen, but the window is not in front");

        windowFocused.set(true);
        assertEquals(0, list.totalUnreadProperty().get());
    }

    @Test
    void theBadgeCountsWhatIsNotShownYetInAConversationSwitchedAway() {
        Message first = api.store("alice", "me", "first", "");
        list.receive(first);
        list.receive(api.store("bob", "me", "hi", ""));
        list.openConversationWith("alice");
        ChatViewModel alicesChat = list.openChatProperty().get();
        list.openConversationWith("bob");
        alicesChat.shown(first.getId());
        assertEquals(2, list.totalUnreadProperty().get(), "Alice's conversation is not open any more");
        list.openConversationWith("alice");
        assertEquals(1, list.totalUnreadProperty().get(), "open again, what it shows is read");
    }

    @Test
    void ownMessagesFromOtherSessionsUpdateTheListWithoutBadges() {
        list.receive(api.store("me", "bob", "sent from my phone", "phone-1"));
        assertEquals(0, list.totalUnreadProperty().get());
        assertTrue(popups.isEmpty());
        assertEquals("sent from my phone", list.items().getFirst().lastMessage().get().getText());
        assertEquals("bob", list.items().getFirst().peer().getUsername(), "the new peer's profile is fetched");
    }

    @Test
    void startingAConversationWithSomeoneListedOpensTheirRowAndAddsNone() {
        list.receive(api.store("bob", "me", "hi", ""));
        list.startConversationWith(alice);
        assertEquals(List.of("alice", "bob"), peerIds(), "a conversation with no message yet is on top");
        assertNull(row("alice").lastMessage().get());
        assertEquals("alice", list.openChatProperty().get().peer().getId());

        list.startConversationWith(bob);
        assertEquals(2, list.items().size());
        assertSame(row("bob"), list.selectedProperty().get());
    }

    @Test
    void aNotificationForSomeoneNotListedOpensNothing() {
        list.openConversationWith("alice");
        assertNull(list.selectedProperty().get());
        assertNull(list.openChatProperty().get());
        assertTrue(list.items().isEmpty());
    }

    @Test
    void closingTheConversationLeavesNothingOpenAndItsMessagesCountAsUnreadAgain() {
        Message first = api.store("alice", "me", "first", "");
        list.receive(first);
        list.openConversationWith("alice");
        list.openChatProperty().get().shown(first.getId());
        assertEquals(0, list.totalUnreadProperty().get(), "read once shown");
        popups.clear();

        list.closeConversation();
        assertNull(list.openChatProperty().get());
        assertNull(list.selectedProperty().get());
        list.receive(api.store("alice", "me", "while closed", ""));
        assertEquals(1, list.totalUnreadProperty().get(), "nobody is looking at it");
        assertEquals(1, popups.size());
    }

    @Test
    void whatIsTypedAndNotSentIsTheConversationsDraftWhileAnotherIsOpen() {
        list.receive(api.store("alice", "me", "lunch?", ""));
        list.receive(api.store("bob", "me", "hi", ""));
        ConversationItem alicesRow = row("alice");
        list.openConversationWith("alice");
        list.openChatProperty().get().draft().set("see you at");
        assertEquals("", alicesRow.draft().get(), "the open conversation's composer shows it");

        list.openConversationWith("bob");
        assertEquals("see you at", alicesRow.draft().get());
        list.closeConversation();
        assertEquals("see you at", alicesRow.draft().get(), "also when none is open");
        list.openConversationWith("alice");
        assertEquals("see you at", list.openChatProperty().get().draft().get(), "the composer has it back");

        list.openChatProperty().get().draft().set("see you at 5");
        list.openChatProperty().get().send();
        list.closeConversation();
        assertEquals("", alicesRow.draft().get(), "sent: no draft");
    }

    @Test
    void theRowsChangeOnlyThroughTheViewModel() {
        list.receive(api.store("alice", "me", "hi", ""));
        ConversationItem bobsRow = new ConversationItem(bob, null, 0, 0);
        assertThrows(UnsupportedOperationException.class, () -> list.items().add(bobsRow));
        assertThrows(UnsupportedOperationException.class, () -> list.items().clear());
    }
}
