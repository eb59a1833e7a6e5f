-- Deleted accounts. The row stays, because the messages the user sent stay in their peers'
-- histories and refer to it; what identifies or lets anyone act as the person goes at once: the
-- display name (replaced by "Deleted account"), the password hash and every session. The username
-- stays reserved for users.deleted-username-quarantine (30 days by default), so nobody can pose
-- as the deleted user to their contacts straight away; then it is replaced by a placeholder and
-- free for new accounts.
ALTER TABLE users
    ADD COLUMN deleted_at        timestamptz,
    ADD COLUMN username_released boolean NOT NULL DEFAULT false;
DROP INDEX users_username_key;
CREATE UNIQUE INDEX users_username_key ON users (username_key) WHERE NOT username_released;
