package dev.messenger.messages;

import dev.messenger.api.v1.Message;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchPlanTest {
    private static final UUID ANN = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID BOB = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final UUID CAT = UUID.fromString("00000000-0000-0000-0000-00000000000c");

    private static Message message(long id, UUID from, UUID to) {
        return Message.newBuilder().setId(id).setSenderId(from.toString()).setRecipientId(to.toString())
                .setConversationId(DirectConversation.id(from, to).toString()).setText("m" + id).build();
    }

    private static Map<List<UUID>, BatchPlan.ConversationChange> byPair(BatchPlan plan) {
        return plan.conversations().stream().collect(Collectors.toMap(change -> List.of(change.owner(), change.peer()), c -> c));
    }

    @Test
    void numbersEachFeedOnFromItsHeadInMessageIdOrder() {
        // Given out of order: the plan still numbers by id, as sends one by one would have.
        BatchPlan plan = BatchPlan.of(Map.of(ANN, 7L, BOB, 0L, CAT, 3L),
                List.of(message(12, BOB, CAT), message(10, ANN, BOB), message(11, ANN, CAT)), Map.of());

        assertEquals(List.of(10L, 11L, 12L), plan.sent().stream().map(sent -> sent.message().getId()).toList());
        assertEquals(List.of(8L, 9L, 2L), plan.sent().stream().map(MessageRepository.Sent::senderSeq).toList());
        assertEquals(List.of(1L, 4L, 5L), plan.sent().stream().map(MessageRepository.Sent::recipientSeq).toList());
        assertEquals(Map.of(ANN, 9L, BOB, 2L, CAT, 5L), plan.heads());
    }

    @Test
    void conversationRowsEndWhereOneByOneSendsWouldLeaveThem() {
        // Ann -> Bob, Bob -> Ann, Ann -> Bob, Bob -> Ann, Bob -> Ann
        BatchPlan plan = BatchPlan.of(Map.of(ANN, 0L, BOB, 0L), List.of(
                message(1, ANN, BOB), message(2, BOB, ANN), message(3, ANN, BOB), message(4, BOB, ANN), message(5, BOB, ANN)), Map.of());
        var rows = byPair(plan);

        assertEquals(2, rows.size());
        // Ann last sent 3 and has two unread after it; Bob last sent 5 and has read everything.
        assertEquals(new BatchPlan.ConversationChange(DirectConversation.id(ANN, BOB), ANN, BOB, 5, 2, 3), rows.get(List.of(ANN, BOB)));
        assertEquals(new BatchPlan.ConversationChange(DirectConversation.id(BOB, ANN), BOB, ANN, 5, 0, 5), rows.get(List.of(BOB, ANN)));
    }

    @Test
    void anOwnerWhoOnlyReceivedKeepsTheReadPositionAndAddsUnread() {
        BatchPlan plan = BatchPlan.of(Map.of(ANN, 0L, BOB, 0L, CAT, 0L),
                List.of(message(1, ANN, CAT), message(2, BOB, CAT), message(3, ANN, CAT)), Map.of());
        var rows = byPair(plan);

        assertEquals(new BatchPlan.ConversationChange(DirectConversation.id(CAT, ANN), CAT, ANN, 3, 2, 0), rows.get(List.of(CAT, ANN)));
        assertEquals(new BatchPlan.ConversationChange(DirectConversation.id(CAT, BOB), CAT, BOB, 2, 1, 0), rows.get(List.of(CAT, BOB)));
        assertEquals(new BatchPlan.ConversationChange(DirectConversation.id(ANN, CAT), ANN, CAT, 3, 0, 3), rows.get(List.of(ANN, CAT)));
        assertEquals(4, rows.size());
    }

    @Test
    void aGroupMessageTakesTheNextNumberInEveryMembersFeedAndCountsUnreadForAllButItsSender() {
        UUID group = UUID.fromString("00000000-0000-0000-0000-0000000000ff");
        Message fromAnn = Message.newBuilder().setId(20).setSenderId(ANN.toString()).setConversationId(group.toString()).build();
        Message fromBob = Message.newBuilder().setId(21).setSenderId(BOB.toString()).setConversationId(group.toString()).build();
        BatchPlan plan = BatchPlan.of(Map.of(ANN, 3L, BOB, 0L, CAT, 9L), List.of(fromBob, fromAnn),
                Map.of(group, List.of(ANN, BOB, CAT)));

        assertEquals(Map.of(ANN, 4L, BOB, 1L, CAT, 10L), plan.sent().get(0).seqs());
        assertEquals(Map.of(ANN, 5L, BOB, 2L, CAT, 11L), plan.sent().get(1).seqs());
        assertEquals(Map.of(ANN, 5L, BOB, 2L, CAT, 11L), plan.heads());
        var rows = plan.conversations().stream().collect(Collectors.toMap(BatchPlan.ConversationChange::owner, c -> c));
        assertEquals(new BatchPlan.ConversationChange(group, ANN, null, 21, 1, 20), rows.get(ANN), "read to her own, Bob's after it");
        assertEquals(new BatchPlan.ConversationChange(group, BOB, null, 21, 0, 21), rows.get(BOB));
        assertEquals(new BatchPlan.ConversationChange(group, CAT, null, 21, 2, 0), rows.get(CAT), "only received: two more unread");
    }

    @Test
    void everyUserInTheBatchMustHaveALockedHead() {
        assertThrows(IllegalArgumentException.class, () -> BatchPlan.of(Map.of(ANN, 0L), List.of(message(1, ANN, BOB)), Map.of()));
    }

    @Test
    void anEmptyBatchChangesNothing() {
        BatchPlan plan = BatchPlan.of(Map.of(ANN, 4L), List.of(), Map.of());
        assertEquals(List.of(), plan.sent());
        assertEquals(Map.of(), plan.heads());
        assertEquals(List.of(), plan.conversations());
    }
}
