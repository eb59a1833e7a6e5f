-- Groups. A group's messages reach its current members; a member sees the messages of the periods
-- they were a member in, and their own view of the group (read position, history) stays after
-- they leave.

-- Entries that record a change of a conversation instead of a text (e.g. "Ann created the group"):
-- numbered in the members' feeds and shown in the history like messages, never counted unread.
ALTER TABLE messages
    ADD COLUMN change_kind  text CHECK (change_kind IN ('created', 'added', 'removed', 'left', 'renamed')),
    ADD COLUMN change_users uuid[],
    ADD COLUMN change_title text,
    ADD CHECK ((change_kind IS NULL) = (change_users IS NULL));

-- false once the member left or was removed: they receive nothing new.
ALTER TABLE conversation_members ADD COLUMN active boolean NOT NULL DEFAULT true;
CREATE INDEX conversation_members_active ON conversation_members (conversation_id, user_id) WHERE active;

-- A group member sees the messages with ids after joined_after, up to and including left_at (open
-- while a member). Joining again starts another period. Direct conversations have none: both
-- members see everything.
CREATE TABLE membership_periods (
    conversation_id uuid   NOT NULL REFERENCES conversations (id) DEFERRABLE INITIALLY DEFERRED,
    user_id         uuid   NOT NULL REFERENCES users (id),
    joined_after    bigint NOT NULL,
    left_at         bigint,
    PRIMARY KEY (conversation_id, user_id, joined_after)
);
