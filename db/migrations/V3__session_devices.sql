-- What the devices list shows of each session: the name the client gave at sign-in, when it was
-- last used (kept to the minute: written at most once a minute, not on every call) and from where.
ALTER TABLE sessions
    ADD COLUMN device_name    text NOT NULL DEFAULT '' CHECK (char_length(device_name) <= 64),
    ADD COLUMN last_used_at   timestamptz,
    ADD COLUMN client_address inet;
UPDATE sessions SET last_used_at = created_at;
ALTER TABLE sessions ALTER COLUMN last_used_at SET NOT NULL;

-- Marking a session used is not a revocation: only changes that can end a session are announced
-- (its deletion, or a new expiry, token or owner), so the once-a-minute touch of every active
-- session does not make every server re-check its feeds.
CREATE OR REPLACE TRIGGER sessions_revoked
    AFTER DELETE OR UPDATE OF expires_at, token_hash, user_id ON sessions
    FOR EACH ROW EXECUTE FUNCTION notify_session_revoked();
