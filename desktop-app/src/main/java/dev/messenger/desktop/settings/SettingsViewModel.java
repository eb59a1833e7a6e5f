package dev.messenger.desktop.settings;

import com.google.protobuf.Timestamp;
import dev.messenger.api.v1.Session;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.chat.TimeFormat;
import dev.messenger.desktop.connection.ApiErrors;
import dev.messenger.desktop.connection.MessengerApi;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The signed-in account's settings: display name, password, deleting the account, and the devices
 * (sessions) it is signed in on. Each section reports the outcome of its last action in words.
 */
public final class SettingsViewModel {
    // The server's rules (users.proto), checked here first so the user hears at once.
    static final int DISPLAY_NAME_MAX = 64;
    static final int PASSWORD_MIN = 8;
    static final int PASSWORD_MAX = 256;

    /** What became of a section's last action; {@code failed} tells a problem from good news. */
    public record Outcome(String text, boolean failed) {
        static final Outcome NONE = new Outcome("", false);

        static Outcome done(String text) {
            return new Outcome(text, false);
        }

        static Outcome problem(String text) {
            return new Outcome(text, true);
        }
    }

    /** One signed-in session as the devices list shows it. */
    public record Device(String id, String name, boolean current, String details) {
    }

    private final MessengerApi api;
    private final Executor io;
    private final Executor ui;
    private final Clock clock;
    private final Consumer<User> onProfileChanged;
    private final Runnable onAccountDeleted;

    private final ObjectProperty<User> me;
    private final IntegerProperty callsUnderway = new SimpleIntegerProperty(0);
    private final BooleanBinding busy = callsUnderway.greaterThan(0);

    private final StringProperty displayName = new SimpleStringProperty("");
    private final StringBinding displayNameProblem;
    private final BooleanBinding canSaveProfile;
    private final ObjectProperty<Outcome> profileOutcome = new SimpleObjectProperty<>(Outcome.NONE);

    private final StringProperty currentPassword = new SimpleStringProperty("");
    private final StringProperty newPassword = new SimpleStringProperty("");
    private final StringProperty repeatPassword = new SimpleStringProperty("");
    private final StringBinding newPasswordProblem;
    private final StringBinding repeatPasswordProblem;
    private final BooleanBinding canChangePassword;
    private final ObjectProperty<Outcome> passwordOutcome = new SimpleObjectProperty<>(Outcome.NONE);

    private final StringProperty deletePassword = new SimpleStringProperty("");
    private final StringProperty deleteConfirmation = new SimpleStringProperty("");
    private final BooleanBinding canDeleteAccount;
    private final ReadOnlyBooleanWrapper deletingAccount = new ReadOnlyBooleanWrapper(false);
    private final ObjectProperty<Outcome> deleteOutcome = new SimpleObjectProperty<>(Outcome.NONE);

    private final ObservableList<Device> devices = FXCollections.observableArrayList();
    private final BooleanBinding hasOtherDevices;
    private final ObjectProperty<Outcome> devicesOutcome = new SimpleObjectProperty<>(Outcome.NONE);

    /**
     * @param onProfileChanged told (on the UI thread) the user as stored after a display name change
     * @param onAccountDeleted told (on the UI thread) once the server deleted the account
     */
    public SettingsViewModel(MessengerApi api, User me, Executor io, Executor ui, Clock clock,
                             Consumer<User> onProfileChanged, Runnable onAccountDeleted) {
        this.api = api;
        this.io = io;
        this.ui = ui;
        this.clock = clock;
        this.onProfileChanged = onProfileChanged;
        this.onAccountDeleted = onAccountDeleted;
        this.me = new SimpleObjectProperty<>(me);
        displayName.set(me.getDisplayName());

        displayNameProblem = Bindings.createStringBinding(() -> {
            int length = codePoints(displayName.get().strip());
            return length > DISPLAY_NAME_MAX ? "At most " + DISPLAY_NAME_MAX + " characters (this is " + length + ")" : "";
        }, displayName);
        canSaveProfile = Bindings.createBooleanBinding(() -> !busy.get() && displayNameProblem.get().isEmpty()
                && !shownName(displayName.get()).equals(this.me.get().getDisplayName()), busy, displayNameProblem, displayName, this.me);

        newPasswordProblem = Bindings.createStringBinding(() -> {
            String password = newPassword.get();
            if (password.isEmpty()) {
                return "";
            }
            if (codePoints(password) < PASSWORD_MIN) {
                return "At least " + PASSWORD_MIN + " characters";
            }
            if (codePoints(password) > PASSWORD_MAX) {
                return "At most " + PASSWORD_MAX + " characters";
            }
            return password.equals(currentPassword.get()) ? "The new password is the same as the current one" : "";
        }, newPassword, currentPassword);
        repeatPasswordProblem = Bindings.createStringBinding(() -> repeatPassword.get().isEmpty()
                || repeatPassword.get().equals(newPassword.get()) ? "" : "The two new passwords are not the same", repeatPassword, newPassword);
        canChangePassword = Bindings.createBooleanBinding(() -> !busy.get()
                        && !currentPassword.get().isEmpty() && !newPassword.get().isEmpty() && !repeatPassword.get().isEmpty()
                        && newPasswordProblem.get().isEmpty() && repeatPasswordProblem.get().isEmpty(),
                busy, currentPassword, newPassword, repeatPassword, newPasswordProblem, repeatPasswordProblem);

        canDeleteAccount = Bindings.createBooleanBinding(() -> !busy.get() && !deletePassword.get().isEmpty()
                && deleteConfirmation.get().strip().equals(me.getUsername()), busy, deletePassword, deleteConfirmation);

        hasOtherDevices = Bindings.createBooleanBinding(() -> devices.stream().anyMatch(device -> !device.current()), devices);
    }

    public String username() {
        return me.get().getUsername();
    }

    /** A call to the server is under way: the actions wait for it. */
    public BooleanBinding busy() {
        return busy;
    }

    public StringProperty displayName() {
        return displayName;
    }

    public StringBinding displayNameProblem() {
        return displayNameProblem;
    }

    public BooleanBinding canSaveProfile() {
        return canSaveProfile;
    }

    public ObjectProperty<Outcome> profileOutcome() {
        return profileOutcome;
    }

    public StringProperty currentPassword() {
        return currentPassword;
    }

    public StringProperty newPassword() {
        return newPassword;
    }

    public StringProperty repeatPassword() {
        return repeatPassword;
    }

    public StringBinding newPasswordProblem() {
        return newPasswordProblem;
    }

    public StringBinding repeatPasswordProblem() {
        return repeatPasswordProblem;
    }

    public BooleanBinding canChangePassword() {
        return canChangePassword;
    }

    public ObjectProperty<Outcome> passwordOutcome() {
        return passwordOutcome;
    }

    public StringProperty deletePassword() {
        return deletePassword;
    }

    public StringProperty deleteConfirmation() {
        return deleteConfirmation;
    }

    public BooleanBinding canDeleteAccount() {
        return canDeleteAccount;
    }

    /** True from the moment the deletion is asked for; false again only if it failed. */
    public ReadOnlyBooleanProperty deletingAccount() {
        return deletingAccount.getReadOnlyProperty();
    }

    public ObjectProperty<Outcome> deleteOutcome() {
        return deleteOutcome;
    }

    public ObservableList<Device> devices() {
        return devices;
    }

    public BooleanBinding hasOtherDevices() {
        return hasOtherDevices;
    }

    public ObjectProperty<Outcome> devicesOutcome() {
        return devicesOutcome;
    }

    public void saveProfile() {
        if (!canSaveProfile.get()) {
            return;
        }
        String wanted = displayName.get().strip();
        run(() -> api.updateProfile(wanted), profileOutcome, updated -> {
            me.set(updated);
            displayName.set(updated.getDisplayName());
            profileOutcome.set(Outcome.done("Saved. People now see you as " + updated.getDisplayName() + "."));
            onProfileChanged.accept(updated);
        });
    }

    public void changePassword() {
        if (!canChangePassword.get()) {
            return;
        }
        String current = currentPassword.get();
        String wanted = newPassword.get();
        run(() -> api.changePassword(current, wanted), passwordOutcome, signedOut -> {
            currentPassword.set("");
            newPassword.set("");
            repeatPassword.set("");
            passwordOutcome.set(Outcome.done("Password changed." + switch (signedOut) {
                case 0 -> "";
                case 1 -> " 1 other device was signed out.";
                default -> " " + signedOut + " other devices were signed out.";
            }));
        }, () -> currentPassword.set(""));
    }

    /** Deletes the account for good; {@code onAccountDeleted} takes it from there. */
    public void deleteAccount() {
        if (!canDeleteAccount.get()) {
            return;
        }
        String password = deletePassword.get();
        deletingAccount.set(true);
        run(() -> {
            api.deleteAccount(password);
            return true;
        }, deleteOutcome, deleted -> onAccountDeleted.run(), () -> {
            deletePassword.set("");
            deletingAccount.set(false);
        });
    }

    /** (Re)reads where the account is signed in, this device first. */
    public void loadDevices() {
        run(api::sessions, devicesOutcome, sessions -> devices.setAll(sessions.stream()
                .sorted(Comparator.comparing(Session::getCurrent).reversed())
                .map(this::device)
                .toList()));
    }

    public void signOut(Device device) {
        if (busy.get()) {
            return;
        }
        run(() -> {
            api.revokeSession(device.id());
            return device;
        }, devicesOutcome, revoked -> {
            devices.remove(revoked);
            devicesOutcome.set(Outcome.done(revoked.name() + " was signed out."));
        });
    }

    public void signOutOtherDevices() {
        if (busy.get() || !hasOtherDevices.get()) {
            return;
        }
        run(api::revokeOtherSessions, devicesOutcome, signedOut -> {
            devices.removeIf(device -> !device.current());
            devicesOutcome.set(Outcome.done(signedOut == 1 ? "1 other device was signed out." : signedOut + " other devices were signed out."));
        });
    }

    private Device device(Session session) {
        String name = session.getDeviceName().isBlank() ? "Unknown device" : session.getDeviceName();
        List<String> details = new ArrayList<>();
        if (!session.getClientAddress().isEmpty()) {
            details.add(session.getClientAddress());
        }
        details.add("Signed in " + TimeFormat.date(instant(session.getCreatedAt()), clock));
        details.add(session.getCurrent() ? "Active now" : "Last active " + TimeFormat.ago(instant(session.getLastUsedAt()), clock));
        return new Device(session.getId(), name, session.getCurrent(), String.join(" · ", details));
    }

    private <T> void run(Supplier<T> call, ObjectProperty<Outcome> outcome, Consumer<T> onSuccess) {
        run(call, outcome, onSuccess, () -> { });
    }

    /** One call to the server off the UI thread; while it runs the actions wait (see {@link #busy()}). */
    private <T> void run(Supplier<T> call, ObjectProperty<Outcome> outcome, Consumer<T> onSuccess, Runnable onFailure) {
        callsUnderway.set(callsUnderway.get() + 1);
        outcome.set(Outcome.NONE);
        io.execute(() -> {
            try {
                T result = call.get();
                ui.execute(() -> {
                    callsUnderway.set(callsUnderway.get() - 1);
                    onSuccess.accept(result);
                });
            } catch (RuntimeException e) {
                String problem = ApiErrors.describe(e, api.serverAddress());
                ui.execute(() -> {
                    callsUnderway.set(callsUnderway.get() - 1);
                    outcome.set(Outcome.problem(problem));
                    onFailure.run();
                });
            }
        });
    }

    /** What the server stores for this display name: blank means the username. */
    private String shownName(String wanted) {
        return wanted.isBlank() ? me.get().getUsername() : wanted.strip();
    }

    private static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
