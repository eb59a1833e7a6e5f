package dev.messenger.platform.db;

import dev.messenger.api.v1.MembershipChange;
import dev.messenger.api.v1.Message;
import dev.messenger.platform.service.ProtoTime;
import io.helidon.dbclient.DbRow;

import java.util.List;
import java.util.UUID;

/**
 * A row of the messages table in its wire form. Shared because both the messages service (history)
 * and the notifications service (feed replay) read messages.
 */
public final class MessageRows {
    private MessageRows() {
    }

    /** The columns {@link #message} reads, qualified with a table alias. */
    public static String columns(String alias) {
        return alias + ".id, " + alias + ".sender_id, " + alias + ".recipient_id, " + alias + ".body, "
                + alias + ".client_message_id, " + alias + ".sent_at, " + alias + ".conversation_id, "
                + alias + ".change_kind, array_to_string(" + alias + ".change_users, ',') AS change_users, " + alias + ".change_title";
    }

    public static Message message(DbRow row) {
        String clientMessageId = Rows.nullableString(row, "client_message_id");
        Message.Builder message = Message.newBuilder()
                .setId(Rows.longValue(row, "id"))
                .setSenderId(Rows.uuid(row, "sender_id").toString())
                .setText(Rows.string(row, "body"))
                .setClientMessageId(clientMessageId == null ? "" : clientMessageId)
                .setSentAt(ProtoTime.of(Rows.instant(row, "sent_at")))
                .setConversationId(Rows.uuid(row, "conversation_id").toString());
        UUID recipient = Rows.nullableUuid(row, "recipient_id");
        if (recipient != null) {
            message.setRecipientId(recipient.toString());
        }
        String change = Rows.nullableString(row, "change_kind");
        if (change != null) {
            String users = Rows.string(row, "change_users");
            String title = Rows.nullableString(row, "change_title");
            message.setMembershipChange(MembershipChange.newBuilder()
                    .setKind(switch (change) {
                        case "created" -> MembershipChange.Kind.CREATED;
                        case "added" -> MembershipChange.Kind.ADDED;
                        case "removed" -> MembershipChange.Kind.REMOVED;
                        case "left" -> MembershipChange.Kind.LEFT;
                        case "renamed" -> MembershipChange.Kind.RENAMED;
                        default -> throw new IllegalStateException("Message " + row.column("id").get() + " records a change '"
                                + change + "' this version does not know");
                    })
                    .addAllUserIds(users.isEmpty() ? List.of() : List.of(users.split(",")))
                    .setTitle(title == null ? "" : title));
        }
        return message.build();
    }
}
