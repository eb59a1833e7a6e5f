package dev.messenger.loadtest;

import dev.messenger.api.v1.LoginRequest;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import io.grpc.ManagedChannel;

import java.util.ArrayList;
import java.util.List;

/** A user a scenario registered, with one signed-in session. */
record Account(String id, String token) {
    /** Registers and signs in {@code count} new users named {@code prefix}, a run mark and their number. */
    static List<Account> register(ManagedChannel channel, String prefix, int count) {
        String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        var stub = UsersServiceGrpc.newBlockingStub(channel);
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String username = prefix + run + "_" + i;
            String password = "load-test-password";
            String id = stub.register(RegisterRequest.newBuilder().setUsername(username).setPassword(password).build())
                    .getUser().getId();
            String token = stub.login(LoginRequest.newBuilder().setUsername(username).setPassword(password).build()).getToken();
            accounts.add(new Account(id, token));
        }
        return accounts;
    }
}
