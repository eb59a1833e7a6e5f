package dev.messenger.users;

import dev.messenger.api.v1.ListSessionsResponse;
import dev.messenger.api.v1.Session;
import dev.messenger.api.v1.User;
import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.auth.Sessions;
import dev.messenger.platform.service.ProtoTime;

import java.util.List;

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
                .setDeleted(account.deleted())
                .build();
    }

    static ListSessionsResponse sessions(List<Sessions.Device> devices, Caller caller) {
        var response = ListSessionsResponse.newBuilder();
        for (Sessions.Device device : devices) {
            response.addSessions(Session.newBuilder()
                    .setId(device.id().toString())
                    .setDeviceName(device.deviceName())
                    .setCreatedAt(ProtoTime.of(device.createdAt()))
                    .setLastUsedAt(ProtoTime.of(device.lastUsedAt()))
                    .setClientAddress(device.clientAddress().orElse(""))
                    .setCurrent(device.id().equals(caller.sessionId()))
                    .setExpiresAt(ProtoTime.of(device.expiresAt())));
        }
        return response.build();
    }
}
