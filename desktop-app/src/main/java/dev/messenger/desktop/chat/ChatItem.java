package dev.messenger.desktop.chat;

import java.time.Instant;

/**
 * A message as the conversation shows it.
 *
 * @param id              the server's message id; 0 while the message is only pending here
 * @param clientMessageId the idempotency key a send of ours carried (empty for others' messages)
 */
public record ChatItem(long id, String clientMessageId, boolean mine, String text, Instant sentAt, State state,
                       String problem) {
    public enum State {
        SENT, PENDING, FAILED
    }

    public ChatItem withState(State newState, String newProblem) {
        return new ChatItem(id, clientMessageId, mine, text, sentAt, newState, newProblem);
    }
}
