-- Users and their login sessions.
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    username      text        NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{3,32}$'),
    -- Lower-cased username in the "C" collation: uniqueness regardless of case, and prefix search on a plain b-tree.
    username_key  text COLLATE "C" NOT NULL GENERATED ALWAYS AS (lower(username)) STORED,
    display_name  text        NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 64),
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (username_key);

CREATE TABLE sessions (
    id         uuid PRIMARY KEY,
    token_hash bytea       NOT NULL UNIQUE,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Messages between two users.
CREATE TABLE messages (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sender_id         uuid        NOT NULL REFERENCES users (id),
    recipient_id      uuid        NOT NULL REFERENCES users (id),
    body              text        NOT NULL,
    client_message_id text,
    sent_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (sender_id <> recipient_id)
);
-- Idempotent sends: one message per (sender, client id).
CREATE UNIQUE INDEX messages_sender_client_id ON messages (sender_id, client_message_id)
    WHERE client_message_id IS NOT NULL;
-- History of a conversation, newest first, whichever side sent.
CREATE INDEX messages_conversation ON messages (LEAST(sender_id, recipient_id), GREATEST(sender_id, recipient_id), id DESC);

-- Each user's feed: every message they receive or send, numbered 1, 2, 3... without gaps.
-- The head row is locked while a number is taken, so numbers commit in order.
CREATE TABLE feed_heads (
    user_id  uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    last_seq bigint NOT NULL
);
CREATE TABLE feed_entries (
    user_id    uuid   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    message_id bigint NOT NULL REFERENCES messages (id),
    PRIMARY KEY (user_id, seq)
);

-- One row per user and peer: what the conversation list shows.
CREATE TABLE conversations (
    owner_id             uuid   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    peer_id              uuid   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_message_id      bigint NOT NULL REFERENCES messages (id),
    unread_count         bigint NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
    last_read_message_id bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (owner_id, peer_id)
);
CREATE INDEX conversations_by_activity ON conversations (owner_id, last_message_id DESC);

-- Transactional outbox: events written in the same transaction as the data they describe,
-- published to Kafka after commit and then deleted.
CREATE TABLE outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    payload    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    attempts   integer     NOT NULL DEFAULT 0
);
