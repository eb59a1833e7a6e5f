package dev.messenger.desktop.conversations;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import javafx.beans.Observable;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Comparator;

/**
 * One row of the sidebar: a peer, the latest message, how many of theirs are unread and up to which
 * they were read, and what is typed but not sent.
 */
public final class ConversationItem {
    /** Most recent activity first; a conversation just started (no message yet) on top. */
    public static final Comparator<ConversationItem> BY_ACTIVITY = Comparator.comparingLong(ConversationItem::activityKey).reversed();

    private final User peer;
    private final ObjectProperty<Message> lastMessage = new SimpleObjectProperty<>();
    private final IntegerProperty unread = new SimpleIntegerProperty();
    private final StringProperty draft = new SimpleStringProperty("");
    private final long lastReadId;

    /** @param lastReadId the peer's messages up to this id were read when the list was loaded */
    public ConversationItem(User peer, Message lastMessage, int unread, long lastReadId) {
        this.peer = peer;
        this.lastMessage.set(lastMessage);
        this.unread.set(unread);
        this.lastReadId = lastReadId;
    }

    public User peer() {
        return peer;
    }

    public String peerId() {
        return peer.getId();
    }

    public ObjectProperty<Message> lastMessage() {
        return lastMessage;
    }

    public IntegerProperty unread() {
        return unread;
    }

    /**
     * What was typed in the conversation and not sent, while another (or none) is open; blank when
     * there is none, and while it is open (its composer shows it then).
     */
    public StringProperty draft() {
        return draft;
    }

    public long lastReadId() {
        return lastReadId;
    }

    /** What a list of these must watch: the sort keys, and all the row shows. */
    public Observable[] shownState() {
        return new Observable[]{lastMessage, unread, draft};
    }

    private long activityKey() {
        Message last = lastMessage.get();
        return last == null ? Long.MAX_VALUE : last.getId();
    }
}
