package dev.messenger.desktop.chat;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.FakeApi;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatViewModelTest {
    private final User me = FakeApi.user("me", "me");
    private final User peer = FakeApi.user("peer", "peer");
    private final FakeApi api = new FakeApi(me);
    private final Preferences outboxNode = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
    private final ChatViewModel chat = chat(new Outbox(outboxNode, api, Runnable::run), Runnable::run);

    private ChatViewModel chat(Outbox outbox, Executor io) {
        return new ChatViewModel(me, peer, api, outbox, io, Runnable::run, Clock.systemUTC(), 0, 0);
    }

    /** A conversation read up to {@code lastReadId}, with {@code unread} of the peer's messages after it. */
    private ChatViewModel chat(long lastReadId, int unread) {
        return new ChatViewModel(me, peer, api, new Outbox(outboxNode, api, Runnable::run), Runnable::run, Runnable::run,
                Clock.systemUTC(), lastReadId, unread);
    }

    @AfterEach
    void forgetOutbox() throws BackingStoreException {
        outboxNode.removeNode();
    }

    @Test
    void opensOnTheNewestPageOldestFirstAndPagesBackwards() {
        for (int i = 1; i <= 120; i++) {
            api.store(i % 2 == 0 ? "me" : "peer", i % 2 == 0 ? "peer" : "me", "m" + i, "");
        }
        chat.open();
        assertEquals(ChatViewModel.PAGE, chat.items().size());
        assertEquals("m71", chat.items().getFirst().text());
        assertEquals("m120", chat.items().getLast().text());
        assertTrue(chat.hasOlder().get());

        chat.loadOlder();
        assertEquals(100, chat.items().size());
        assertEquals("m21", chat.items().getFirst().text());
        chat.loadOlder();
        assertEquals(120, chat.items().size());
        assertEquals("m1", chat.items().getFirst().text());
        assertFalse(chat.hasOlder().get());
        chat.loadOlder();
        assertEquals(120, chat.items().size(), "nothing more to load");
        for (int i = 1; i < chat.items().size(); i++) {
            assertTrue(chat.items().get(i - 1).id() < chat.items().get(i).id(), "oldest first, no repeats");
        }
    }

    @Test
    void thePeersMessagesAreReadOnceShownWhileTheUserLooksNotWhenOpened() {
        api.store("peer", "me", "one", "");
        Message second = api.store("peer", "me", "two", "");
        api.store("me", "peer", "mine", "c1");
        Message third = api.store("peer", "me", "three", "");
        ChatViewModel chat = chat(0, 3);
        chat.looking().set(true);
        chat.open();
        assertEquals(List.of(), api.markedRead, "opening reads nothing");
        assertEquals(3, chat.unread().get());

        chat.shown(second.getId());
        assertEquals(List.of(second.getId()), api.markedRead);
        assertEquals(1, chat.unread().get());

        chat.looking().set(false);
        chat.shown(third.getId());
        assertEquals(List.of(second.getId()), api.markedRead, "on screen, but the user is not looking");
        assertEquals(1, chat.unread().get());
        chat.looking().set(true);
        assertEquals(List.of(second.getId(), third.getId()), api.markedRead, "read when the user looks again");
        assertEquals(0, chat.unread().get());

        chat.shown(third.getId());
        assertEquals(2, api.markedRead.size(), "read once");
    }

    @Test
    void theNewMessagesLineIsAboveTheFirstUnreadMessageEvenPagesBack() {
        List<Message> all = new ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            all.add(i % 3 == 0 ? api.store("me", "peer", "m" + i, "c" + i) : api.store("peer", "me", "m" + i, ""));
        }
        // Read up to m30: the peer's 60 messages from m31 on are unread, more than the newest page holds.
        ChatViewModel chat = chat(all.get(29).getId(), 60);
        chat.open();
        assertEquals(all.get(30).getId(), chat.unreadMarker().get(), "above m31");
        assertEquals(60, chat.unreadMarkerCount().get());
        assertEquals("m21", chat.items().getFirst().text(), "paged back to it (pages of " + ChatViewModel.PAGE + ")");
        assertTrue(chat.hasOlder().get());

        chat.looking().set(true);
        chat.shown(all.getLast().getId());
        chat.open();
        assertEquals(all.get(30).getId(), chat.unreadMarker().get(), "opened again, the line stays where it was");
    }

    @Test
    void withNothingUnreadThereIsNoNewMessagesLine() {
        api.store("peer", "me", "hello", "");
        Message last = api.store("me", "peer", "hi", "c1");
        ChatViewModel chat = chat(last.getId(), 0);
        chat.open();
        assertEquals(0, chat.unreadMarker().get());
        assertEquals(0, chat.newBelow().get());
    }

    @Test
    void newBelowCountsThePeersMessagesThatArrivedAfterTheNewestShown() {
        Message read = api.store("peer", "me", "read before", "");
        ChatViewModel chat = chat(read.getId(), 0);
        chat.open();
        chat.shown(read.getId());
        Message first = api.store("peer", "me", "first new", "");
        chat.onMessage(first);
        chat.onMessage(api.store("me", "peer", "mine", "c2"));
        Message second = api.store("peer", "me", "second new", "");
        chat.onMessage(second);
        assertEquals(2, chat.newBelow().get(), "the peer's, not mine");

        chat.shown(read.getId());
        assertEquals(2, chat.newBelow().get(), "scrolling further up sees nothing new");
        chat.shown(first.getId());
        assertEquals(1, chat.newBelow().get());
        chat.shown(second.getId());
        assertEquals(0, chat.newBelow().get());
        assertEquals(2, chat.unread().get(), "seen, but the user was not looking: still unread");
    }

    @Test
    void feedRepeatsAndHistoryOverlapAreShownOnce() {
        Message first = api.store("peer", "me", "one", "");
        chat.open();
        chat.onMessage(first);
        Message second = api.store("peer", "me", "two", "");
        chat.onMessage(second);
        chat.onMessage(second);
        assertEquals(List.of("one", "two"), chat.items().stream().map(ChatItem::text).toList());
    }

    @Test
    void aDeletedAccountsHistoryStaysReadableButNothingCanBeSentToIt() {
        api.store("peer", "me", "goodbye", "");
        User deleted = peer.toBuilder().setDeleted(true).setDisplayName("Deleted account").build();
        ChatViewModel withDeleted = new ChatViewModel(me, deleted, api, new Outbox(outboxNode, api, Runnable::run), Runnable::run,
                Runnable::run, Clock.systemUTC(), 0, 0);
        withDeleted.open();
        assertEquals(List.of("goodbye"), withDeleted.items().stream().map(ChatItem::text).toList());
        withDeleted.draft().set("are you there?");
        assertFalse(withDeleted.canSend().get());
        withDeleted.send();
        assertEquals(List.of(), api.sentClientIds);
        assertEquals(1, withDeleted.items().size());
    }

    @Test
    void aSendShowsPendingAtOnceAndBecomesTheServersMessage() {
        chat.open();
        chat.draft().set("  hi there  ");
        chat.send();
        assertEquals("", chat.draft().get());
        assertEquals(1, chat.items().size());
        ChatItem sent = chat.items().getFirst();
        assertEquals("hi there", sent.text());
        assertEquals(ChatItem.State.SENT, sent.state(), "the fake answers at once");
        assertTrue(sent.id() > 0);

        // The same message arriving through the feed (another session's echo) changes nothing.
        chat.onMessage(api.messages.getFirst());
        assertEquals(1, chat.items().size());
    }

    @Test
    void unavailableSendsAreRetriedWithTheSameClientIdAndNeverDuplicate() {
        chat.open();
        api.sendFailures.add(Status.UNAVAILABLE);
        api.sendFailures.add(Status.DEADLINE_EXCEEDED);
        chat.draft().set("through the storm");
        chat.send();
        assertEquals(3, api.sentClientIds.size());
        assertEquals(1, api.sentClientIds.stream().distinct().count(), "every retry carries the same client message id");
        assertEquals(1, api.messages.size());
        assertEquals(ChatItem.State.SENT, chat.items().getFirst().state());
    }

    @Test
    void aRefusedSendFailsVisiblyAndCanBeRetried() {
        chat.open();
        api.sendFailures.add(Status.NOT_FOUND.withDescription("No user with id peer"));
        chat.draft().set("hello?");
        chat.send();
        ChatItem failed = chat.items().getFirst();
        assertEquals(ChatItem.State.FAILED, failed.state());
        assertEquals("No user with id peer", failed.problem());

        chat.retry(failed);
        assertEquals(ChatItem.State.SENT, chat.items().getFirst().state());
        assertEquals(1, chat.items().size());
        assertEquals(api.sentClientIds.get(0), api.sentClientIds.get(1));
    }

    @Test
    void aSendNotConfirmedWhenTheAppStoppedIsShownAndDeliveredOnceAfterARestart() {
        // First run: the send is recorded, then the app stops before it reaches the server.
        Executor stopped = task -> { };
        ChatViewModel firstRun = chat(new Outbox(outboxNode, api, stopped), stopped);
        firstRun.draft().set("typed on the train");
        firstRun.send();
        assertTrue(api.sentClientIds.isEmpty(), "never reached the server");

        // Next start: the chat shows it pending, the start-up delivery sends it, the feed echo confirms it.
        Outbox outbox = new Outbox(outboxNode, api, Runnable::run);
        assertEquals(1, outbox.entries().size());
        ChatViewModel nextRun = chat(outbox, Runnable::run);
        nextRun.open();
        assertEquals(List.of(ChatItem.State.PENDING), nextRun.items().stream().map(ChatItem::state).toList());
        outbox.resume(nextRun::onMessage);
        assertEquals(1, api.messages.size());
        assertEquals(List.of("typed on the train"), nextRun.items().stream().map(ChatItem::text).toList());
        assertEquals(ChatItem.State.SENT, nextRun.items().getFirst().state());
        assertEquals(List.of(), outbox.entries(), "forgotten once confirmed");

        // Resuming again (another start) sends nothing more.
        new Outbox(outboxNode, api, Runnable::run).resume(message -> { });
        assertEquals(1, api.sentClientIds.size());
    }

    @Test
    void aSendTheServerStoredButNeverConfirmedIsShownOnceAndForgotten() {
        Outbox outbox = new Outbox(outboxNode, api, task -> { });
        Message stored = api.store("me", "peer", "made it", "c-42");
        outbox.record(new Outbox.Entry("c-42", "peer", "made it", Instant.now(), ""));
        assertEquals(1, outbox.entries().size(), "recorded; the answer was lost");

        ChatViewModel next = chat(new Outbox(outboxNode, api, Runnable::run), Runnable::run);
        next.open();
        assertEquals(List.of(stored.getId()), next.items().stream().map(ChatItem::id).toList());
        assertEquals(List.of(), new Outbox(outboxNode, api, Runnable::run).entries());
    }

    @Test
    void aRefusedSendStaysFailedAcrossARestartUntilRetried() {
        api.sendFailures.add(Status.NOT_FOUND.withDescription("No user with id peer"));
        chat.open();
        chat.draft().set("are you real?");
        chat.send();

        ChatViewModel next = chat(new Outbox(outboxNode, api, Runnable::run), Runnable::run);
        next.open();
        ChatItem failed = next.items().getFirst();
        assertEquals(ChatItem.State.FAILED, failed.state());
        assertEquals("No user with id peer", failed.problem());
        new Outbox(outboxNode, api, Runnable::run).resume(message -> { });
        assertEquals(1, api.sentClientIds.size(), "a refused send is not retried by itself");

        next.retry(failed);
        assertEquals(ChatItem.State.SENT, next.items().getFirst().state());
        assertEquals(List.of(), new Outbox(outboxNode, api, Runnable::run).entries());
    }

    @Test
    void composerLimitsAndBlankDrafts() {
        chat.draft().set("   ");
        assertFalse(chat.canSend().get());
        chat.draft().set("x".repeat(ChatViewModel.MAX_TEXT));
        assertTrue(chat.canSend().get());
        assertEquals(0, chat.remaining().get());
        chat.draft().set("😀".repeat(ChatViewModel.MAX_TEXT + 1));
        assertEquals(-1, chat.remaining().get(), "counted in characters, not UTF-16 units");
        assertFalse(chat.canSend().get());
        chat.send();
        assertTrue(chat.items().isEmpty());
    }
}
