package dev.messenger.desktop.people;

import dev.messenger.api.v1.User;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;

/** A round avatar with the user's initials on a colour that stays the same for the same user. */
public final class Avatar extends StackPane {
    private static final Color[] PALETTE = {
            Color.web("#5c6bc0"), Color.web("#26a69a"), Color.web("#ef6c00"), Color.web("#ab47bc"),
            Color.web("#42a5f5"), Color.web("#ec407a"), Color.web("#66bb6a"), Color.web("#8d6e63")};

    public Avatar(User user, double size) {
        Circle circle = new Circle(size / 2, PALETTE[Math.floorMod(user.getId().hashCode(), PALETTE.length)]);
        Label initials = new Label(initials(user));
        initials.getStyleClass().add("avatar-initials");
        initials.setStyle("-fx-font-size: " + Math.round(size * 0.4) + "px;");
        getChildren().addAll(circle, initials);
        setMinSize(size, size);
        setMaxSize(size, size);
        getStyleClass().add("avatar");
    }

    static String initials(User user) {
        String name = user.getDisplayName().isBlank() ? user.getUsername() : user.getDisplayName();
        String[] words = name.strip().split("\\s+");
        StringBuilder initials = new StringBuilder();
        for (String word : words) {
            if (!word.isEmpty() && initials.length() < 4) {
                initials.appendCodePoint(Character.toUpperCase(word.codePointAt(0)));
            }
            if (initials.codePointCount(0, initials.length()) == 2) {
                break;
            }
        }
        return initials.isEmpty() ? "?" : initials.toString();
    }
}
