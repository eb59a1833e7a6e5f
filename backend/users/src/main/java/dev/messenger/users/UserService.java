package dev.messenger.users;

import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.auth.IssuedToken;
import dev.messenger.platform.auth.Sessions;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;
import dev.messenger.platform.errors.TextChecks;
import dev.messenger.platform.limits.ClientAddress;
import dev.messenger.platform.limits.RateLimit;
import dev.messenger.platform.limits.RetryAfter;
import dev.messenger.platform.service.Paging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/** Users' behaviour, shared by the gRPC and REST front doors. */
public final class UserService {
    private static final Logger LOG = Logger.getLogger(UserService.class.getName());
    static final int SEARCH_DEFAULT_LIMIT = 20;

    private final UserRepository users;
    private final Sessions sessions;
    private final PasswordHasher hasher;
    private final HashingGate hashing;
    private final LoginThrottle throttle;
    private final Limits limits;
    private final Duration deletedUsernameQuarantine;
    private final Clock clock;

    /** The rate limits of the users service's operations. */
    record Limits(RateLimit register, RateLimit login, RateLimit search) {
    }

    UserService(UserRepository users, Sessions sessions, PasswordHasher hasher, HashingGate hashing, LoginThrottle throttle,
                Limits limits, Duration deletedUsernameQuarantine, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.hashing = hashing;
        this.throttle = throttle;
        this.limits = limits;
        this.deletedUsernameQuarantine = deletedUsernameQuarantine;
        this.clock = clock;
    }

    public record LoggedIn(IssuedToken token, UserAccount user) {
    }

    public record SearchPage(List<UserAccount> users, String nextPageToken) {
    }

    public UserAccount register(ClientAddress from, String username, String displayName, String password) {
        limits.register().check(from);
        String validUsername = UserRules.username(username);
        String validDisplayName = UserRules.displayName(displayName, validUsername);
        String validPassword = UserRules.password(password);
        UserAccount user = users.insert(validUsername, validDisplayName, hashing.run(() -> hasher.hash(validPassword)));
        LOG.info(() -> "Registered user " + user.id() + " (" + user.username() + ") from " + from);
        return user;
    }

    public LoggedIn login(ClientAddress from, String username, String password, String deviceName) {
        limits.login().check(from);
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            throw ApiException.invalid("username and password are required");
        }
        TextChecks.requireStorable(password, "password");
        if (!UserRules.couldBeUsername(TextChecks.requireStorable(username, "username"))
                || password.length() > 4 * UserRules.PASSWORD_MAX) {
            throw ApiException.unauthenticated("Wrong username or password");
        }
        String validDeviceName = UserRules.deviceName(deviceName);
        String key = UserRules.key(username);
        refuseWhileThrottled(key, from);
        var credentials = users.credentials(key);
        boolean valid = hashing.run(() -> credentials.isPresent()
                ? hasher.verify(password, credentials.get().passwordHash())
                : hasher.verifyAgainstDecoy(password));
        if (!valid) {
            throttle.recordFailure(key, from);
            LOG.info(() -> "Failed sign-in for username '" + key + "' from " + from);
            throw ApiException.unauthenticated("Wrong username or password");
        }
        throttle.recordSuccess(key, from);
        UserAccount user = credentials.get().account();
        IssuedToken token = sessions.open(user.id(), validDeviceName, from);
        LOG.info(() -> "User " + user.id() + " signed in from " + from);
        return new LoggedIn(token, user);
    }

    private void refuseWhileThrottled(String usernameKey, ClientAddress from) {
        var wait = throttle.wait(usernameKey, from);
        if (wait.isPresent()) {
            throw new ApiException(ErrorKind.RESOURCE_EXHAUSTED, "Too many wrong passwords for this username from your address; try again in "
                    + RetryAfter.seconds(wait.get()) + " s", wait.get());
        }
    }

    /**
     * Checked like a sign-in (the same rate limit and throttle, so a stolen session cannot guess
     * the password faster than a sign-in could); the other sessions are signed out in the same
     * transaction as the new hash is stored. Returns how many were.
     */
    public int changePassword(Caller caller, ClientAddress from, String currentPassword, String newPassword) {
        limits.login().check(from);
        requirePassword(currentPassword, "currentPassword");
        String validNew = UserRules.password(newPassword);
        checkPassword(caller, from, currentPassword, "a password change");
        if (validNew.equals(currentPassword)) {
            throw ApiException.invalid("The new password is the current one");
        }
        String newHash = hashing.run(() -> hasher.hash(validNew));
        List<UUID> signedOut = users.changePassword(caller.userId(), newHash, tx -> sessions.deleteOthers(tx, caller));
        sessions.ended(signedOut);
        LOG.info(() -> "User " + caller.userId() + " changed their password from " + from + "; signed out "
                + signedOut.size() + " other sessions");
        return signedOut.size();
    }

    /**
     * Confirmed by the password (limited and throttled like a sign-in). The account is marked
     * deleted and its display name and password erased, and every session of it is deleted, in one
     * transaction; then their streams end here at once (other servers hear it from PostgreSQL).
     */
    public void deleteAccount(Caller caller, ClientAddress from, String password) {
        limits.login().check(from);
        requirePassword(password, "password");
        checkPassword(caller, from, password, "an account deletion");
        List<UUID> signedOut = users.delete(caller.userId(), clock.instant(), tx -> sessions.deleteAll(tx, caller.userId()));
        sessions.ended(signedOut);
        LOG.info(() -> "User " + caller.userId() + " deleted their account from " + from + "; ended "
                + signedOut.size() + " sessions");
    }

    /** Frees the usernames of accounts deleted longer than the quarantine ago; run by the hourly purge. */
    long releaseDeletedUsernames() {
        return users.releaseUsernames(clock.instant().minus(deletedUsernameQuarantine));
    }

    private static void requirePassword(String password, String field) {
        if (password == null || password.isEmpty()) {
            throw ApiException.invalid(field + " is required");
        }
        TextChecks.requireStorable(password, field);
    }

    /**
     * Checks the caller's own password for an account change, counted with sign-ins: the same
     * throttle per username and address, so a stolen session cannot guess it faster than a sign-in.
     */
    private void checkPassword(Caller caller, ClientAddress from, String password, String purpose) {
        var credentials = users.credentials(caller.userId())
                .orElseThrow(() -> ApiException.unauthenticated("The account no longer exists"));
        String key = UserRules.key(credentials.account().username());
        refuseWhileThrottled(key, from);
        boolean valid = password.length() <= 4 * UserRules.PASSWORD_MAX
                && hashing.run(() -> hasher.verify(password, credentials.passwordHash()));
        if (!valid) {
            throttle.recordFailure(key, from);
            LOG.info(() -> "Wrong password in " + purpose + " for user " + caller.userId() + " from " + from);
            // Not UNAUTHENTICATED: the session is fine, and clients sign out on that status.
            throw ApiException.permissionDenied("The password is not right");
        }
        throttle.recordSuccess(key, from);
    }

    /** A blank display name means the username, as at registration. */
    public UserAccount updateProfile(Caller caller, String displayName) {
        UserAccount current = get(caller.userId());
        String valid = UserRules.displayName(displayName, current.username());
        UserAccount updated = users.updateDisplayName(caller.userId(), valid)
                .orElseThrow(() -> ApiException.unauthenticated("The account no longer exists"));
        LOG.fine(() -> "User " + caller.userId() + " changed their display name");
        return updated;
    }

    public List<Sessions.Device> sessions(Caller caller) {
        return sessions.list(caller);
    }

    public void revokeSession(Caller caller, ClientAddress from, UUID sessionId) {
        sessions.revoke(caller, sessionId);
        LOG.info(() -> "User " + caller.userId() + " signed out session " + sessionId + " from " + from);
    }

    public int revokeOtherSessions(Caller caller, ClientAddress from) {
        int revoked = sessions.revokeOthers(caller);
        LOG.info(() -> "User " + caller.userId() + " signed out " + revoked + " other sessions from " + from);
        return revoked;
    }

    public void logout(Caller caller, ClientAddress from) {
        sessions.close(caller);
        LOG.info(() -> "User " + caller.userId() + " signed out session " + caller.sessionId() + " from " + from);
    }

    public UserAccount get(UUID id) {
        return users.find(id).orElseThrow(() -> ApiException.notFound("No user with id " + id));
    }

    public SearchPage search(Caller caller, ClientAddress from, String query, long limit, String pageToken) {
        limits.search().check(from, caller.userId());
        String prefix = UserRules.searchPrefix(query);
        int pageSize = Paging.limit(limit, SEARCH_DEFAULT_LIMIT, Paging.MAX_PAGE);
        String after = pageToken == null || pageToken.isEmpty() ? "" : decodePageToken(pageToken);
        List<UserAccount> found = users.search(prefix, after, pageSize + 1);
        if (found.size() <= pageSize) {
            return new SearchPage(found, "");
        }
        List<UserAccount> page = found.subList(0, pageSize);
        return new SearchPage(List.copyOf(page), encodePageToken(UserRules.key(page.getLast().username())));
    }

    private static String encodePageToken(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodePageToken(String token) {
        try {
            String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return UserRules.searchPrefix(key);
        } catch (IllegalArgumentException | ApiException e) {
            throw ApiException.invalid("pageToken is not one this server issued");
        }
    }
}
