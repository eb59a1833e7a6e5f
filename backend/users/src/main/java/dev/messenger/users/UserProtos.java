package dev.messenger.users;

import dev.messenger.api.v1.User;
import dev.messenger.platform.service.ProtoTime;

/** Users to their wire form. */
final class UserProtos {
    private UserProtos() {
    }

    static User user(UserAccount account) {
        return User.newBuilder()
                .setId(account.id().toString())
                .setUsername(account.username())
                .setDisplayName(account.displayName())
                .setCreatedAt(ProtoTime.of(account.createdAt()))
                .build();
    }
}
