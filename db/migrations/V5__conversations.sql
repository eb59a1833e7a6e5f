-- A conversation becomes an entity of its own, with an id and members: a direct conversation (the
-- one conversation of two users, created by their first message) or, later, a group. What was one
-- row per user and peer becomes one row per member of a conversation, with the same counts.

-- The id of a direct conversation is a name-based UUID (version 3) of its two members, so a send
-- knows it without a lookup: the MD5 of 'messenger-direct:' followed by the two user ids' bytes,
-- the lower first (bytewise, as PostgreSQL orders uuids). DirectConversation.id computes the same
-- in Java; the migration test checks that they agree.
CREATE FUNCTION pg_temp.direct_conversation_id(a uuid, b uuid) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT CAST(overlay(overlay(h PLACING '3' FROM 13 FOR 1)
                        PLACING substr('89ab', (CAST(CAST('x' || substr(h, 17, 1) AS bit(4)) AS integer) & 3) + 1, 1)
                        FROM 17 FOR 1) AS uuid)
    FROM (SELECT md5(convert_to('messenger-direct:', 'UTF8') || uuid_send(LEAST(a, b)) || uuid_send(GREATEST(a, b))) AS h) AS hash
$$;

ALTER TABLE conversations RENAME TO conversation_members;
ALTER TABLE conversation_members RENAME COLUMN owner_id TO user_id;
ALTER INDEX conversations_by_activity RENAME TO conversation_members_by_activity;

CREATE TABLE conversations (
    id           uuid        PRIMARY KEY,
    kind         text        NOT NULL CHECK (kind IN ('direct', 'group')),
    -- Groups only: their name, and who created them.
    title        text        CHECK (char_length(title) BETWEEN 1 AND 64),
    created_by   uuid        REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    member_count integer     NOT NULL CHECK (member_count >= 0),
    CHECK ((kind = 'group') = (title IS NOT NULL))
);

INSERT INTO conversations (id, kind, created_at, member_count)
SELECT pg_temp.direct_conversation_id(low, high), 'direct', min(sent_at), 2
FROM (SELECT LEAST(sender_id, recipient_id) AS low, GREATEST(sender_id, recipient_id) AS high, sent_at FROM messages) AS pairs
GROUP BY low, high;

-- Group messages will have no recipient: the conversation says who receives them. The foreign key
-- is checked at commit, so a send can write its message before the conversation it opens.
ALTER TABLE messages ADD COLUMN conversation_id uuid;
UPDATE messages SET conversation_id = pg_temp.direct_conversation_id(sender_id, recipient_id);
ALTER TABLE messages
    ALTER COLUMN conversation_id SET NOT NULL,
    ALTER COLUMN recipient_id DROP NOT NULL,
    ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES conversations (id)
        DEFERRABLE INITIALLY DEFERRED;
DROP INDEX messages_conversation;
CREATE INDEX messages_conversation ON messages (conversation_id, id DESC);

-- A member's view of a conversation: where they have read to, what is unread, its latest message
-- they can see (the list's order). peer_id: the other member of a direct conversation.
ALTER TABLE conversation_members ADD COLUMN conversation_id uuid;
UPDATE conversation_members SET conversation_id = pg_temp.direct_conversation_id(user_id, peer_id);
ALTER TABLE conversation_members DROP CONSTRAINT conversations_pkey;
ALTER TABLE conversation_members
    ALTER COLUMN conversation_id SET NOT NULL,
    ALTER COLUMN peer_id DROP NOT NULL,
    ADD COLUMN role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
    ADD CONSTRAINT conversation_members_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES conversations (id)
        DEFERRABLE INITIALLY DEFERRED,
    ADD PRIMARY KEY (conversation_id, user_id);
CREATE UNIQUE INDEX conversation_members_direct ON conversation_members (user_id, peer_id) WHERE peer_id IS NOT NULL;
