package dev.messenger.desktop.login;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;

/**
 * The connect screen: a card near the top of the window; binds to a {@link LoginViewModel}. Nothing
 * moves under the user's pointer as messages come and go: each field keeps a line for its problem,
 * and the error shows under the button, where the card grows downwards (it is not centred).
 */
public final class LoginView extends StackPane {
    public LoginView(LoginViewModel model) {
        getStyleClass().add("login-view");

        Label title = new Label("Messenger");
        title.getStyleClass().add(Styles.TITLE_1);
        Label subtitle = new Label();
        subtitle.getStyleClass().add(Styles.TEXT_MUTED);
        subtitle.textProperty().bind(Bindings.when(model.registering())
                .then("Create an account on your server").otherwise("Sign in to your server"));

        TextField server = field("server", "chat.example.org or localhost:8080", model.server());
        Label connection = new Label();
        connection.setId("connectionSummary");
        connection.setWrapText(true);
        connection.getStyleClass().add(Styles.TEXT_SMALL);
        connection.textProperty().bind(model.connectionSummary());
        model.connectionSummary().addListener((obs, was, now) -> styleSummary(connection, model));
        styleSummary(connection, model);
        CheckBox unencrypted = new CheckBox("Connect without encryption (only on a network you trust)");
        unencrypted.setId("unencrypted");
        unencrypted.getStyleClass().add(Styles.TEXT_SMALL);
        unencrypted.selectedProperty().bindBidirectional(model.unencrypted());
        showWhen(unencrypted, model.unencryptedOffered());

        BooleanBinding encrypted = model.encrypted();
        Hyperlink trust = new Hyperlink("Trust a certificate file (self-hosted server)…");
        trust.setId("trustCertificate");
        trust.getStyleClass().add(Styles.TEXT_SMALL);
        trust.setOnAction(event -> model.certificateShown().set(true));
        showWhen(trust, encrypted.and(model.certificateShown().not()));
        TextField certificate = field("certificateFile", "Certificate file (.crt or .pem)", model.certificateFile());
        HBox.setHgrow(certificate, Priority.ALWAYS);
        Button choose = new Button("Choose…");
        choose.setId("chooseCertificate");
        choose.setOnAction(event -> chooseCertificate(model));
        HBox certificateRow = new HBox(6, certificate, choose);
        showWhen(certificateRow, encrypted.and(model.certificateShown()));
        VBox certificateBox = labelled("Trusted certificate", certificateRow, model.certificateProblem());
        VBox serverBox = labelled("Server", server, model.serverProblem(), connection);
        serverBox.getChildren().addAll(unencrypted, trust);
        TextField username = field("username", "Username", model.username());
        TextField displayName = field("displayName", "Display name (optional)", model.displayName());
        displayName.visibleProperty().bind(model.registering());
        displayName.managedProperty().bind(model.registering());
        PasswordField password = new PasswordField();
        password.setId("password");
        password.setPromptText("Password");
        password.textProperty().bindBidirectional(model.password());
        password.setOnAction(event -> model.submit());
        username.setOnAction(event -> password.requestFocus());
        server.setOnAction(event -> username.requestFocus());

        Label error = new Label();
        error.setId("loginError");
        error.setWrapText(true);
        error.getStyleClass().add(Styles.DANGER);
        error.textProperty().bind(model.error());
        error.managedProperty().bind(model.error().isNotEmpty());
        error.visibleProperty().bind(model.error().isNotEmpty());

        ProgressIndicator progress = new ProgressIndicator();
        progress.setPrefSize(16, 16);
        Button submit = new Button();
        submit.setId("submit");
        submit.textProperty().bind(Bindings.when(model.registering()).then("Create account").otherwise("Sign in"));
        submit.getStyleClass().add(Styles.ACCENT);
        submit.setMaxWidth(Double.MAX_VALUE);
        submit.setDefaultButton(true);
        submit.disableProperty().bind(model.canSubmit().not());
        submit.setOnAction(event -> model.submit());
        // In the button, which is as tall with it as without: a line of its own would push what is below.
        submit.graphicProperty().bind(Bindings.when(model.busy()).<Node>then(progress).otherwise((Node) null));

        Hyperlink toggle = new Hyperlink();
        toggle.setId("toggleMode");
        toggle.textProperty().bind(Bindings.when(model.registering())
                .then("Already have an account? Sign in").otherwise("New here? Create an account"));
        toggle.setOnAction(event -> model.registering().set(!model.registering().get()));

        VBox card = new VBox(8,
                title, subtitle,
                serverBox,
                certificateBox,
                labelled("Username", username, model.usernameProblem()),
                labelled("Display name", displayName, null),
                labelled("Password", password, model.passwordProblem()),
                submit, error, toggle);
        card.getStyleClass().add("login-card");
        card.setPadding(new Insets(32));
        card.setMaxWidth(460);
        card.setMaxHeight(VBox.USE_PREF_SIZE);
        card.setAlignment(Pos.CENTER_LEFT);
        getChildren().add(card);
        setAlignment(Pos.TOP_CENTER);
        paddingProperty().bind(Bindings.createObjectBinding(
                () -> new Insets(Math.max(24, getHeight() / 10), 24, 24, 24), heightProperty()));
        javafx.application.Platform.runLater(() -> (model.server().get().isBlank() ? server : username).requestFocus());
    }

    private static void showWhen(Node node, javafx.beans.value.ObservableBooleanValue condition) {
        node.visibleProperty().bind(condition);
        node.managedProperty().bind(condition);
    }

    private static void styleSummary(Label summary, LoginViewModel model) {
        boolean insecure = !model.encrypted().get() && model.unencryptedOffered().get();
        summary.getStyleClass().removeAll(Styles.DANGER, Styles.TEXT_MUTED, Styles.SUCCESS);
        summary.getStyleClass().add(insecure ? Styles.DANGER : model.encrypted().get() ? Styles.SUCCESS : Styles.TEXT_MUTED);
    }

    private void chooseCertificate(LoginViewModel model) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("The server's certificate");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Certificates", "*.crt", "*.pem", "*.cer", "*.der"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File chosen = chooser.showOpenDialog(getScene().getWindow());
        if (chosen != null) {
            model.certificateFile().set(chosen.getAbsolutePath());
        }
    }

    private static TextField field(String id, String prompt, javafx.beans.property.StringProperty property) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.textProperty().bindBidirectional(property);
        return field;
    }

    /** A field with its label above and its inline problem below. */
    private static VBox labelled(String label, Node field, StringBinding problem) {
        return labelled(label, field, problem, null);
    }

    /**
     * A field with its label above, and below a line for its problem that it shares with a note:
     * one that is empty whenever there is a problem (the server's connection summary).
     */
    private static VBox labelled(String label, Node field, StringBinding problem, Label note) {
        Label caption = new Label(label);
        caption.getStyleClass().add(Styles.TEXT_SMALL);
        caption.setLabelFor(field);
        VBox box = new VBox(3, caption, field);
        box.visibleProperty().bind(field.visibleProperty());
        box.managedProperty().bind(field.managedProperty());
        if (problem != null) {
            Label hint = new Label();
            hint.textProperty().bind(problem);
            hint.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.DANGER);
            StackPane line = note == null ? new StackPane(hint) : new StackPane(note, hint);
            line.setAlignment(Pos.CENTER_LEFT);
            // Always laid out: an empty line keeps its height, so the fields below stay put.
            box.getChildren().add(line);
            if (field instanceof TextField text) {
                problem.addListener((obs, was, now) -> text.pseudoClassStateChanged(Styles.STATE_DANGER, !now.isEmpty()));
            }
        }
        return box;
    }
}
