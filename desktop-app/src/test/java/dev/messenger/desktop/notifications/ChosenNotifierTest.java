package dev.messenger.desktop.notifications;

import dev.messenger.api.v1.User;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChosenNotifierTest {
    private final List<Notification> popups = new ArrayList<>();
    private final ChosenNotifier notifier = new ChosenNotifier(new Notifier() {
        @Override
        public void show(Notification notification) {
            popups.add(notification);
        }

        @Override
        public void closeAll() {
            popups.clear();
        }
    });
    private final Notification hello = Notification.of(User.newBuilder().setId("a").setDisplayName("Ann").build(), "hello");

    @Test
    void withoutTheDesktopsServiceTheAppsPopupsAnnounce() {
        notifier.show(hello);
        assertEquals(List.of(hello), popups);
    }

    @Test
    void turnedOffNothingIsAnnouncedUntilTurnedOnAgain() {
        notifier.setEnabled(false);
        notifier.show(hello);
        assertEquals(List.of(), popups);
        notifier.setEnabled(true);
        notifier.show(hello);
        assertEquals(List.of(hello), popups);
    }
}
