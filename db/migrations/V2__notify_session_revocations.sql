-- Servers keep recently seen sessions in memory so that most calls need no look-up (platform
-- auth/SessionCache). Any change to a live session row, whoever makes it (a logout, an operator's
-- DELETE), tells every server at commit through this channel, so a revoked token stops working
-- everywhere at once. Rows already past their expiry are not announced: no server accepts them.
CREATE FUNCTION notify_session_revoked() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF OLD.expires_at > now() THEN
        PERFORM pg_notify('messenger_session_revoked', OLD.id::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER sessions_revoked
    AFTER DELETE OR UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION notify_session_revoked();
