package dev.messenger.desktop.people;

import atlantafx.base.theme.Styles;
import dev.messenger.api.v1.User;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** A search result: avatar, display name, @username. */
public final class UserCell extends ListCell<User> {
    @Override
    protected void updateItem(User user, boolean empty) {
        super.updateItem(user, empty);
        if (empty || user == null) {
            setGraphic(null);
            return;
        }
        Label handle = new Label("@" + user.getUsername());
        handle.getStyleClass().add(Styles.TEXT_MUTED);
        HBox row = new HBox(10, new Avatar(user, 32), new VBox(0, new Label(user.getDisplayName()), handle));
        row.setAlignment(Pos.CENTER_LEFT);
        setGraphic(row);
    }
}
