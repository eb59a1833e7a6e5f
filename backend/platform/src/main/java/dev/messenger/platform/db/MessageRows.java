package dev.messenger.platform.db;

import dev.messenger.api.v1.Message;
import dev.messenger.platform.service.ProtoTime;
import io.helidon.dbclient.DbRow;

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
                + alias + ".client_message_id, " + alias + ".sent_at, " + alias + ".conversation_id";
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
        return message.build();
    }
}
