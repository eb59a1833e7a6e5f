package dev.messenger.desktop.settings;

import com.google.protobuf.Timestamp;
import dev.messenger.api.v1.Session;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.FakeApi;
import dev.messenger.desktop.chat.Outbox;
import dev.messenger.desktop.chat.TimeFormat;
import dev.messenger.desktop.connection.ServerAddress;
import dev.messenger.desktop.connection.ServerEndpoint;
import dev.messenger.desktop.main.MainViewModel;
import dev.messenger.desktop.settings.SettingsViewModel.Device;
import dev.messenger.desktop.settings.SettingsViewModel.Outcome;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsViewModelTest {
    private static final String PASSWORD = "correct horse battery";
    private static final Instant NOW = Instant.parse("2026-03-14T12:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final User me = FakeApi.user("me", "me");
    private final List<String> deletions = new ArrayList<>();
    private final List<String> signOuts = new ArrayList<>();
    private final Preferences outboxNode = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());

    @AfterEach
    void forgetOutbox() throws BackingStoreException {
        outboxNode.removeNode();
    }

    private SettingsViewModel settings(FakeApi api) {
        return new SettingsViewModel(api, me, Runnable::run, Runnable::run, clock, changed -> { }, () -> deletions.add("deleted"));
    }

    /** The signed-in app with its feed running, for what the settings change there. */
    private MainViewModel main(FakeApi api) {
        MainViewModel main = new MainViewModel(new dev.messenger.desktop.session.Session(ServerEndpoint.of(new ServerAddress("test", 1, false)), "token", me),
                api, new Outbox(outboxNode, api, Runnable::run), Runnable::run, Runnable::run, clock, popup -> { },
                () -> signOuts.add("signed out"));
        main.start();
        return main;
    }

    private static Session session(String id, String device, boolean current, Duration lastUsedAgo) {
        return Session.newBuilder().setId(id).setDeviceName(device).setCurrent(current).setClientAddress("192.0.2.7")
                .setCreatedAt(timestamp(Instant.parse("2026-03-01T09:00:00Z")))
                .setLastUsedAt(timestamp(NOW.minus(lastUsedAgo)))
                .build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
    }

    private FakeApi withThreeSessions() {
        FakeApi api = new FakeApi(me);
        api.sessions.add(session("laptop", "Messenger on laptop", true, Duration.ZERO));
        api.sessions.add(session("phone", "Phone", false, Duration.ofMinutes(5)));
        api.sessions.add(session("old", "", false, Duration.ofDays(3)));
        return api;
    }

    @Test
    void theDisplayNameIsPrefilledAndOneTooLongIsExplainedBeforeSaving() {
        SettingsViewModel settings = settings(new FakeApi(me));
        assertEquals("ME", settings.displayName().get());
        assertFalse(settings.canSaveProfile().get(), "nothing changed yet");

        settings.displayName().set("x".repeat(65));
        assertEquals("At most 64 characters (this is 65)", settings.displayNameProblem().get());
        assertFalse(settings.canSaveProfile().get());

        settings.displayName().set("😀".repeat(64));
        assertEquals("", settings.displayNameProblem().get(), "characters, not UTF-16 units, are counted");
        assertTrue(settings.canSaveProfile().get());
    }

    @Test
    void aSavedDisplayNameShowsInTheMainWindowToo() {
        FakeApi api = new FakeApi(me);
        MainViewModel main = main(api);
        List<String> shownNames = new ArrayList<>();
        main.meProperty().addListener((obs, was, now) -> shownNames.add(now.getDisplayName()));
        SettingsViewModel settings = main.settings(() -> { });

        settings.displayName().set("  Mia Example ");
        settings.saveProfile();

        assertEquals("Mia Example", api.users.get("me").getDisplayName(), "stored on the server, trimmed");
        assertEquals(List.of("Mia Example"), shownNames);
        assertEquals("Mia Example", main.me().getDisplayName());
        assertEquals(new Outcome("Saved. People now see you as Mia Example.", false), settings.profileOutcome().get());
        assertFalse(settings.canSaveProfile().get(), "what is shown is what is stored");
    }

    @Test
    void aNewPasswordIsCheckedAsTheServerWouldBeforeItIsSent() {
        SettingsViewModel settings = settings(new FakeApi(me));
        settings.currentPassword().set(PASSWORD);
        settings.newPassword().set("😀".repeat(7));
        assertEquals("At least 8 characters", settings.newPasswordProblem().get(), "7 characters, though 14 UTF-16 units");
        settings.newPassword().set("x".repeat(257));
        assertEquals("At most 256 characters", settings.newPasswordProblem().get());
        settings.newPassword().set(PASSWORD);
        assertEquals("The new password is the same as the current one", settings.newPasswordProblem().get());

        settings.newPassword().set("a much better one");
        settings.repeatPassword().set("a much better on");
        assertEquals("", settings.newPasswordProblem().get());
        assertEquals("The two new passwords are not the same", settings.repeatPasswordProblem().get());
        assertFalse(settings.canChangePassword().get());

        settings.repeatPassword().set("a much better one");
        assertEquals("", settings.repeatPasswordProblem().get());
        assertTrue(settings.canChangePassword().get());
        settings.currentPassword().set("");
        assertFalse(settings.canChangePassword().get(), "the current password is needed too");
    }

    @Test
    void aChangedPasswordSaysHowManyOtherDevicesWereSignedOutAndClearsTheFields() {
        FakeApi api = withThreeSessions();
        SettingsViewModel settings = settings(api);
        settings.currentPassword().set(PASSWORD);
        settings.newPassword().set("a much better one");
        settings.repeatPassword().set("a much better one");

        settings.changePassword();

        assertEquals("a much better one", api.password);
        assertEquals(new Outcome("Password changed. 2 other devices were signed out.", false), settings.passwordOutcome().get());
        assertEquals(List.of("", "", ""), List.of(settings.currentPassword().get(), settings.newPassword().get(), settings.repeatPassword().get()));
    }

    @Test
    void aWrongCurrentPasswordShowsTheServersWordsAndOnlyThatFieldIsCleared() {
        FakeApi api = new FakeApi(me);
        SettingsViewModel settings = settings(api);
        settings.currentPassword().set("not it at all");
        settings.newPassword().set("a much better one");
        settings.repeatPassword().set("a much better one");

        settings.changePassword();

        assertEquals(PASSWORD, api.password, "unchanged");
        assertEquals(new Outcome("The password is not right", true), settings.passwordOutcome().get());
        assertEquals("", settings.currentPassword().get());
        assertEquals("a much better one", settings.newPassword().get());
        assertEquals("a much better one", settings.repeatPassword().get());
    }

    @Test
    void whileACallIsUnderwayNoOtherActionStarts() {
        List<Runnable> queued = new ArrayList<>();
        SettingsViewModel settings = new SettingsViewModel(new FakeApi(me), me, queued::add, Runnable::run, clock,
                changed -> { }, () -> { });
        settings.displayName().set("Mia");
        settings.currentPassword().set(PASSWORD);
        settings.newPassword().set("a much better one");
        settings.repeatPassword().set("a much better one");
        settings.saveProfile();
        settings.loadDevices();

        assertTrue(settings.busy().get());
        assertFalse(settings.canChangePassword().get());
        settings.changePassword();
        assertEquals(2, queued.size(), "the change waits; only the devices list is read meanwhile");
        queued.removeFirst().run();
        assertTrue(settings.busy().get(), "the second call is still under way");
        queued.removeFirst().run();
        assertFalse(settings.busy().get());
        assertTrue(settings.canChangePassword().get());
    }

    @Test
    void theDevicesListShowsThisDeviceFirstAndTheOthersInPlainWords() {
        FakeApi api = withThreeSessions();
        // The server lists the most recently used first, which need not be this device.
        api.sessions.add(api.sessions.removeFirst());
        SettingsViewModel settings = settings(api);
        assertFalse(settings.hasOtherDevices().get());

        settings.loadDevices();

        String signedIn = "Signed in " + TimeFormat.date(Instant.parse("2026-03-01T09:00:00Z"), clock);
        assertEquals(List.of(
                new Device("laptop", "Messenger on laptop", true, "192.0.2.7 · " + signedIn + " · Active now"),
                new Device("phone", "Phone", false, "192.0.2.7 · " + signedIn + " · Last active 5 minutes ago"),
                new Device("old", "Unknown device", false, "192.0.2.7 · " + signedIn + " · Last active on "
                        + TimeFormat.date(NOW.minus(Duration.ofDays(3)), clock))), settings.devices());
        assertTrue(settings.hasOtherDevices().get());
    }

    @Test
    void signingOutOneDeviceTakesItOffTheList() {
        FakeApi api = withThreeSessions();
        SettingsViewModel settings = settings(api);
        settings.loadDevices();

        settings.signOut(settings.devices().get(1));

        assertEquals(List.of("laptop", "old"), api.sessions.stream().map(Session::getId).toList());
        assertEquals(List.of("laptop", "old"), settings.devices().stream().map(Device::id).toList());
        assertEquals(new Outcome("Phone was signed out.", false), settings.devicesOutcome().get());
    }

    @Test
    void signingOutAllOtherDevicesLeavesThisOne() {
        FakeApi api = withThreeSessions();
        SettingsViewModel settings = settings(api);
        settings.loadDevices();

        settings.signOutOtherDevices();

        assertEquals(List.of("laptop"), api.sessions.stream().map(Session::getId).toList());
        assertEquals(List.of("laptop"), settings.devices().stream().map(Device::id).toList());
        assertEquals(new Outcome("2 other devices were signed out.", false), settings.devicesOutcome().get());
        assertFalse(settings.hasOtherDevices().get());
    }

    @Test
    void aFailureToListTheDevicesIsSaidInPlainWords() {
        FakeApi api = new FakeApi(me) {
            @Override
            public List<Session> sessions() {
                throw Status.UNAVAILABLE.asRuntimeException();
            }
        };
        SettingsViewModel settings = settings(api);

        settings.loadDevices();

        assertEquals(new Outcome("Can't reach the server at test:1. Check the address and that the server is running.", true),
                settings.devicesOutcome().get());
    }

    @Test
    void deletingNeedsThePasswordAndTheUsernameTypedOut() {
        FakeApi api = new FakeApi(me);
        SettingsViewModel settings = settings(api);
        settings.deletePassword().set(PASSWORD);
        assertFalse(settings.canDeleteAccount().get());
        settings.deleteConfirmation().set("m");
        assertFalse(settings.canDeleteAccount().get());
        settings.deleteConfirmation().set("me ");
        assertTrue(settings.canDeleteAccount().get());
        settings.deletePassword().set("");
        settings.deleteAccount();
        assertFalse(api.deleted, "not without the password");

        settings.deletePassword().set(PASSWORD);
        settings.deleteAccount();

        assertTrue(api.deleted);
        assertEquals(List.of("deleted"), deletions);
    }

    @Test
    void aWrongPasswordDeletesNothingAndSaysSo() {
        FakeApi api = new FakeApi(me);
        SettingsViewModel settings = settings(api);
        settings.deletePassword().set("not it at all");
        settings.deleteConfirmation().set("me");

        settings.deleteAccount();

        assertFalse(api.deleted);
        assertEquals(List.of(), deletions);
        assertEquals(new Outcome("The password is not right", true), settings.deleteOutcome().get());
        assertEquals("", settings.deletePassword().get());
        assertFalse(settings.deletingAccount().get());
    }

    @Test
    void theFeedEndingBecauseOfTheDeletionIsNotTakenForAnEndedSession() {
        FakeApi api = new FakeApi(me) {
            @Override
            public synchronized void deleteAccount(String password) {
                super.deleteAccount(password);
                // As the server does: the session's feed ends before the deletion's answer arrives.
                feedListener.onSignedOut();
            }
        };
        SettingsViewModel settings = main(api).settings(() -> deletions.add("deleted"));
        settings.deletePassword().set(PASSWORD);
        settings.deleteConfirmation().set("me");

        settings.deleteAccount();

        assertEquals(List.of("deleted"), deletions);
        assertEquals(List.of(), signOuts, "the app says the account was deleted, not that the session ended");
    }

    @Test
    void aSignOutDuringAFailedDeletionIsPassedOnOnceItFailed() {
        FakeApi api = new FakeApi(me) {
            @Override
            public synchronized void deleteAccount(String password) {
                // Signed out on another device meanwhile.
                feedListener.onSignedOut();
                assertEquals(List.of(), signOuts, "held back while the deletion is under way");
                throw Status.UNAUTHENTICATED.withDescription("Sign in again").asRuntimeException();
            }
        };
        SettingsViewModel settings = main(api).settings(() -> deletions.add("deleted"));
        settings.deletePassword().set(PASSWORD);
        settings.deleteConfirmation().set("me");

        settings.deleteAccount();

        assertEquals(List.of(), deletions);
        assertEquals(List.of("signed out"), signOuts);
    }
}
