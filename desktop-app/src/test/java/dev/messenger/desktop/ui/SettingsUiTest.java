package dev.messenger.desktop.ui;

import dev.messenger.api.v1.GetUserRequest;
import dev.messenger.api.v1.LoginRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.BearerToken;
import dev.messenger.server.testing.TestBackend;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import javafx.scene.control.Button;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings dialog of the real app against the real backend: devices, display name, password, deleting the account. */
class SettingsUiTest extends UiTest {
    private static final String PASSWORD = "correct horse battery";
    private static final String NEW_PASSWORD = "a much longer passphrase";

    private ManagedChannel channel(TestBackend backend) {
        ManagedChannel channel = backend.newChannel();
        opened.add(channel::shutdownNow);
        return channel;
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void devicesAreListedAndSignedOutAndTheProfileAndPasswordChange(TestBackend backend) throws Exception {
        var users = UsersServiceGrpc.newBlockingStub(channel(backend));
        String username = unique("alice");
        AppWindow alice = opened.window("alice");
        alice.register(backend.target(), username, "Alice Walker", PASSWORD);
        String phoneToken = login(users, username, PASSWORD, "Phone");

        Dialog settings = openSettings(alice);
        settings.click("#devicesTab");
        settings.waitUntil("both sessions are listed", () -> settings.all(".session-row").size() == 2);
        assertEquals(1, settings.all(".this-device").size(), "one marked as this device");
        assertTrue(settings.shows(".session-device", "Phone"::equals));
        assertEquals(1, settings.all(".revoke-session").size(), "only the other device can be signed out here");
        settings.screenshot("settings-devices");

        settings.click(".revoke-session");
        settings.waitUntil("one session is left", () -> settings.all(".session-row").size() == 1);
        assertTrue(settings.shows("#devicesMessage", "Phone was signed out."::equals));
        assertEquals(Status.Code.UNAUTHENTICATED, callAs(users, phoneToken).getStatus().getCode(), "the phone's token is refused");
        assertTrue(((Button) settings.node("#revokeOthers")).isDisabled(), "no other device left to sign out");

        String tabletToken = login(users, username, PASSWORD, "Tablet");
        settings.click("#accountTab");
        settings.type("#settingsDisplayName", "Alice Liddell");
        settings.click("#saveProfile");
        settings.waitUntil("the name is saved", () -> settings.shows("#profileMessage", text -> text.startsWith("Saved.")));
        alice.waitUntil("the sidebar shows the new name", () -> alice.shows("#myName", "Alice Liddell"::equals));

        settings.type("#currentPassword", PASSWORD);
        settings.type("#newPassword", NEW_PASSWORD);
        settings.type("#repeatPassword", NEW_PASSWORD);
        settings.click("#changePassword");
        settings.waitUntil("the password is changed", () -> settings.shows("#passwordMessage",
                "Password changed. 1 other device was signed out."::equals));
        assertEquals("", ((TextInputControl) settings.node("#currentPassword")).getText(), "the fields are emptied");
        assertTrue(settings.node("#currentPassword").isFocused(), "the focus stays in the section, not in the delete section below");
        settings.screenshot("settings-account");

        assertEquals(Status.Code.UNAUTHENTICATED, callAs(users, tabletToken).getStatus().getCode(), "the tablet was signed out");
        assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
                () -> login(users, username, PASSWORD, "")).getStatus().getCode(), "the old password no longer signs in");
        login(users, username, NEW_PASSWORD, "");
        assertTrue(alice.shows("#connectionStatus", "Connected"::equals), "this device stays signed in");

        settings.click("#thisComputerTab");
        settings.click("#darkThemeOn");
        alice.waitUntil("the dark theme is on in the ☰ menu too", () -> ((javafx.scene.control.MenuButton) alice.node("#menu"))
                .getItems().stream().anyMatch(item -> item instanceof javafx.scene.control.CheckMenuItem check && check.isSelected()));
        settings.screenshot("settings-this-computer");
        settings.click("#darkThemeOn");

        settings.press(KeyCode.ESCAPE);
        settings.waitUntil("Escape closes the dialog", () -> !settings.stage.isShowing());
    }

    @Test
    void deletingTheAccountNeedsTheUsernameTypedAndEndsAtTheSignInScreen(TestBackend backend) throws Exception {
        var users = UsersServiceGrpc.newBlockingStub(channel(backend));
        String username = unique("bob");
        AppWindow bob = opened.window("bob");
        bob.register(backend.target(), username, "Bob Stone", PASSWORD);
        bob.waitUntil("the feed is live", () -> bob.shows("#connectionStatus", "Connected"::equals));

        Dialog settings = openSettings(bob);
        settings.scrollToBottom();
        settings.type("#deletePassword", PASSWORD);
        settings.type("#deleteConfirm", username.substring(1));
        assertTrue(((Button) settings.node("#deleteAccount")).isDisabled(), "not before the username is typed exactly");
        settings.type("#deleteConfirm", username);
        settings.screenshot("settings-delete");
        settings.click("#deleteAccount");

        bob.waitUntil("back at the sign-in screen, told why", () -> bob.shows("#loginError", "Your account has been deleted."::equals));
        assertFalse(settings.stage.isShowing(), "the settings went with the signed-in window");
        assertTrue(bob.tokenFile().read().isEmpty(), "the session is forgotten");
        assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
                () -> login(users, username, PASSWORD, "")).getStatus().getCode(), "the account can no longer sign in");
    }

    private static String login(UsersServiceGrpc.UsersServiceBlockingStub users, String username, String password, String device) {
        return users.login(LoginRequest.newBuilder().setUsername(username).setPassword(password).setDeviceName(device).build()).getToken();
    }

    private static StatusRuntimeException callAs(UsersServiceGrpc.UsersServiceBlockingStub users, String token) {
        return assertThrows(StatusRuntimeException.class,
                () -> users.withCallCredentials(BearerToken.of(token)).getUser(GetUserRequest.getDefaultInstance()));
    }

    /** Opens the settings from the ☰ menu, as a person would. */
    private Dialog openSettings(AppWindow window) {
        window.click("#menu");
        robot.clickOn("#settings");
        window.waitUntil("the settings open", () -> settingsOf(window.stage) != null);
        return new Dialog(settingsOf(window.stage));
    }

    private static Stage settingsOf(Stage owner) {
        return Window.getWindows().stream()
                .filter(window -> window instanceof Stage stage && stage.getOwner() == owner && "Settings".equals(stage.getTitle()))
                .map(Stage.class::cast)
                .findFirst().orElse(null);
    }

    /** The settings dialog, driven like {@link AppWindow}. */
    private final class Dialog extends StageDriver {
        Dialog(Stage stage) {
            super(robot, stage, "the settings of " + stage.getOwner().getUserData());
        }

        /** The Account tab's page is taller than the dialog: scroll to its end, where deleting is. */
        void scrollToBottom() {
            ScrollPane page = node("#accountPage");
            interact(() -> page.setVvalue(page.getVmax()));
        }
    }
}
