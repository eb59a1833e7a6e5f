package dev.messenger.desktop.settings;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.messenger.desktop.settings.SettingsViewModel.Device;
import dev.messenger.desktop.settings.SettingsViewModel.Outcome;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;

/** The settings dialog: an "Account" tab (display name, password, deleting the account) and a "Devices" tab. */
public final class SettingsView extends TabPane {
    private static final double LABEL_WIDTH = 160;
    // The delete section sits in a box with this padding and a 1 px border: its labels are narrower
    // by both, so its fields line up with the ones above it.
    private static final double DANGER_ZONE_PADDING = 14;

    private final SettingsViewModel model;

    private SettingsView(SettingsViewModel model, AppPreferences preferences) {
        this.model = model;
        getStyleClass().add("settings-view");
        setTabClosingPolicy(TabClosingPolicy.UNAVAILABLE);
        ScrollPane accountPage = scrolling(account());
        accountPage.setId("accountPage");
        Tab account = new Tab("Account", accountPage);
        account.setId("accountTab");
        Tab devices = new Tab("Devices", devices());
        devices.setId("devicesTab");
        devices.selectedProperty().addListener((obs, was, selected) -> {
            if (selected) {
                model.loadDevices();
            }
        });
        Tab thisComputer = new Tab("This computer", thisComputer(preferences));
        thisComputer.setId("thisComputerTab");
        getTabs().addAll(account, devices, thisComputer);
    }

    /**
     * Opens the settings as a window-modal dialog over the owner's window, in the owner's styles.
     * It closes with Escape, and when the owner leaves its window (signed out, session ended).
     */
    public static void open(Node owner, SettingsViewModel model, AppPreferences preferences) {
        Stage dialog = new Stage();
        dialog.initOwner(owner.getScene().getWindow());
        dialog.initModality(Modality.WINDOW_MODAL);
        dialog.setTitle("Settings");
        Scene scene = new Scene(new SettingsView(model, preferences), 560, 520);
        scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        scene.addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.ESCAPE) {
                dialog.close();
            }
        });
        dialog.setScene(scene);
        ChangeListener<Scene> ownerLeft = (obs, was, now) -> dialog.close();
        owner.sceneProperty().addListener(ownerLeft);
        dialog.setOnHidden(event -> owner.sceneProperty().removeListener(ownerLeft));
        dialog.show();
    }

    private VBox account() {
        VBox page = new VBox(18, profile(), new Separator(), password(), new Separator(), deletion());
        page.setPadding(new Insets(20));
        return page;
    }

    private VBox profile() {
        TextField name = new TextField();
        name.setId("settingsDisplayName");
        name.setPromptText(model.username());
        name.textProperty().bindBidirectional(model.displayName());
        name.setOnAction(event -> model.saveProfile());
        HBox.setHgrow(name, Priority.ALWAYS);
        Button save = new Button("Save");
        save.setId("saveProfile");
        save.disableProperty().bind(model.canSaveProfile().not());
        save.setOnAction(event -> model.saveProfile());
        keepFocusIn(save, name);
        HBox row = new HBox(8, name, save);
        row.setAlignment(Pos.BASELINE_LEFT);
        GridPane fields = form(LABEL_WIDTH);
        addRow(fields, 0, caption("Display name", name), new VBox(3, row, problem(model.displayNameProblem(), name)));
        return section("Profile", "How people see you in their conversation lists. Leave it empty to use your username, "
                        + model.username() + ".",
                fields, outcome("profileMessage", model.profileOutcome()));
    }

    private VBox password() {
        GridPane fields = form(LABEL_WIDTH);
        PasswordField current = passwordField("currentPassword", model.currentPassword());
        PasswordField wanted = passwordField("newPassword", model.newPassword());
        PasswordField repeat = passwordField("repeatPassword", model.repeatPassword());
        wanted.setPromptText("At least 8 characters");
        repeat.setOnAction(event -> model.changePassword());
        addRow(fields, 0, caption("Current password", current), current);
        addRow(fields, 1, caption("New password", wanted), withProblem(wanted, model.newPasswordProblem()));
        addRow(fields, 2, caption("Repeat new password", repeat), withProblem(repeat, model.repeatPasswordProblem()));
        Button change = new Button("Change password");
        change.setId("changePassword");
        change.disableProperty().bind(model.canChangePassword().not());
        change.setOnAction(event -> model.changePassword());
        keepFocusIn(change, current);
        return section("Password", "Changing it signs you out on every other device.",
                fields, change, outcome("passwordMessage", model.passwordOutcome()));
    }

    private VBox deletion() {
        GridPane fields = form(LABEL_WIDTH - DANGER_ZONE_PADDING - 1);
        PasswordField password = passwordField("deletePassword", model.deletePassword());
        TextField confirm = new TextField();
        confirm.setId("deleteConfirm");
        confirm.setPromptText(model.username());
        confirm.textProperty().bindBidirectional(model.deleteConfirmation());
        addRow(fields, 0, caption("Password", password), password);
        addRow(fields, 1, caption("Username", confirm), confirm);
        Button delete = new Button("Delete account");
        delete.setId("deleteAccount");
        delete.getStyleClass().add(Styles.DANGER);
        delete.disableProperty().bind(model.canDeleteAccount().not());
        delete.setOnAction(event -> model.deleteAccount());
        keepFocusIn(delete, password);
        VBox section = section("Delete account",
                "Your account is deleted for good and you are signed out everywhere. Your messages stay in the "
                        + "conversations of the people you wrote to, shown as from 'Deleted account'. Your username "
                        + "becomes free for others after 30 days.\n\nTo confirm, enter your password and type your username, "
                        + model.username() + ".",
                fields, delete, outcome("deleteMessage", model.deleteOutcome()));
        section.getChildren().getFirst().getStyleClass().add(Styles.DANGER);
        section.getStyleClass().add("danger-zone");
        section.setPadding(new Insets(DANGER_ZONE_PADDING));
        return section;
    }

    private VBox devices() {
        VBox rows = new VBox();
        rows.setId("sessionsList");
        rows.getStyleClass().add("sessions-list");
        model.devices().addListener((ListChangeListener<Device>) change ->
                rows.getChildren().setAll(model.devices().stream().map(this::deviceRow).toList()));
        ScrollPane list = scrolling(rows);
        VBox.setVgrow(list, Priority.ALWAYS);

        Button signOutOthers = new Button("Sign out all other devices");
        signOutOthers.setId("revokeOthers");
        signOutOthers.disableProperty().bind(model.hasOtherDevices().not().or(model.busy()));
        signOutOthers.setOnAction(event -> model.signOutOtherDevices());
        Label message = outcome("devicesMessage", model.devicesOutcome());
        message.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(message, Priority.ALWAYS);
        HBox footer = new HBox(12, message, signOutOthers);
        footer.setAlignment(Pos.CENTER_RIGHT);

        VBox page = section("Where you're signed in",
                "Sign out a device you no longer use or don't recognise: it has to sign in again with your password.",
                list, footer);
        page.setPadding(new Insets(20));
        return page;
    }

    /** Choices kept on this computer for whoever signs in here: not sent to the server. */
    private static VBox thisComputer(AppPreferences preferences) {
        CheckBox notifications = choice("notificationsOn", "Announce new messages", preferences.notifications());
        CheckBox sound = choice("soundOn", "Play a sound with each announcement", preferences.sound());
        sound.disableProperty().bind(preferences.notifications().not());
        Label soundNote = new Label("Played by the desktop's notification service where it has one; the app's own"
                + " pop-ups are silent.");
        soundNote.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        soundNote.setWrapText(true);
        VBox announcements = section("Notifications",
                "Messages outside the open conversation are counted in the unread badges either way.",
                notifications, sound, soundNote);
        CheckBox dark = choice("darkThemeOn", "Dark theme", preferences.darkTheme());
        VBox page = new VBox(24, announcements, section("Appearance", "The colours of every window of the app.", dark));
        page.setPadding(new Insets(20));
        return page;
    }

    private static CheckBox choice(String id, String text, BooleanProperty property) {
        CheckBox box = new CheckBox(text);
        box.setId(id);
        box.selectedProperty().bindBidirectional(property);
        return box;
    }

    private HBox deviceRow(Device device) {
        Label name = new Label(device.name());
        name.getStyleClass().addAll("session-device", Styles.TEXT_BOLD);
        HBox title = new HBox(8, name);
        title.setAlignment(Pos.CENTER_LEFT);
        if (device.current()) {
            Label here = new Label("This device");
            here.getStyleClass().add("this-device");
            title.getChildren().add(here);
        }
        Label details = new Label(device.details());
        details.getStyleClass().addAll("session-details", Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        details.setWrapText(true);
        VBox text = new VBox(3, title, details);
        HBox.setHgrow(text, Priority.ALWAYS);
        HBox row = new HBox(12, text);
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("session-row");
        // This device signs out from the ☰ menu, which also forgets the saved session here.
        if (!device.current()) {
            Button signOut = new Button("Sign out");
            signOut.getStyleClass().addAll("revoke-session", Styles.SMALL);
            signOut.disableProperty().bind(model.busy());
            signOut.setOnAction(event -> model.signOut(device));
            row.getChildren().add(signOut);
        }
        return row;
    }

    private static VBox section(String heading, String explanation, Node... content) {
        Label title = new Label(heading);
        title.getStyleClass().add(Styles.TITLE_4);
        Label text = new Label(explanation);
        text.getStyleClass().add(Styles.TEXT_MUTED);
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE);
        VBox section = new VBox(8, title, text);
        section.getChildren().addAll(content);
        return section;
    }

    /** Labels in the first column, at least {@code labelWidth} wide so the sections' fields line up; fields fill the rest. */
    private static GridPane form(double labelWidth) {
        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(8);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setHalignment(HPos.LEFT);
        labels.setMinWidth(labelWidth);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, fields);
        return grid;
    }

    /** Caption and field on one baseline, so a problem shown under the field leaves the caption where it is. */
    private static void addRow(GridPane grid, int row, Label caption, Node field) {
        grid.addRow(row, caption, field);
        GridPane.setValignment(caption, VPos.BASELINE);
        GridPane.setValignment(field, VPos.BASELINE);
    }

    private static Label caption(String text, Node field) {
        Label caption = new Label(text);
        caption.setLabelFor(field);
        return caption;
    }

    private static PasswordField passwordField(String id, StringProperty text) {
        PasswordField field = new PasswordField();
        field.setId(id);
        field.textProperty().bindBidirectional(text);
        return field;
    }

    private static VBox withProblem(TextInputControl field, StringBinding problem) {
        return new VBox(3, field, problem(problem, field));
    }

    /** A field's inline problem, shown (and the field marked) only while there is one. */
    private static Label problem(StringBinding problem, TextInputControl field) {
        Label hint = new Label();
        hint.textProperty().bind(problem);
        hint.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.DANGER);
        hint.managedProperty().bind(problem.isNotEmpty());
        hint.visibleProperty().bind(problem.isNotEmpty());
        problem.addListener((obs, was, now) -> field.pseudoClassStateChanged(Styles.STATE_DANGER, !now.isEmpty()));
        return hint;
    }

    /** What became of a section's last action, in green or red; takes no room while there is nothing to say. */
    private static Label outcome(String id, ObjectProperty<Outcome> outcome) {
        Label label = new Label();
        label.setId(id);
        label.setWrapText(true);
        label.textProperty().bind(Bindings.createStringBinding(() -> outcome.get().text(), outcome));
        label.managedProperty().bind(label.textProperty().isNotEmpty());
        label.visibleProperty().bind(label.textProperty().isNotEmpty());
        outcome.addListener((obs, was, now) -> {
            label.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER);
            label.getStyleClass().add(now.failed() ? Styles.DANGER : Styles.SUCCESS);
        });
        return label;
    }

    /**
     * A focused button that gets disabled (its call under way, its fields emptied) would pass the
     * focus on to the next control, and the page would scroll there, e.g. into the delete section.
     */
    private static void keepFocusIn(Button button, Node field) {
        button.disabledProperty().addListener((obs, was, disabled) -> {
            if (disabled && button.isFocused()) {
                field.requestFocus();
            }
        });
    }

    private static ScrollPane scrolling(Region content) {
        ScrollPane scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add(Tweaks.EDGE_TO_EDGE);
        return scroll;
    }
}
