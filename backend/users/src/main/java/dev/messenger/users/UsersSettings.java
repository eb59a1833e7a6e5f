package dev.messenger.users;

import dev.messenger.platform.limits.Rate;
import io.helidon.config.Config;

import java.time.Duration;

/**
 * The users service's settings, read once from the {@code users} node. The defaults live in
 * application.yaml only; a missing key is a start-up error that names it.
 *
 * @param hashingConcurrent hashes at once (unset: one per core)
 */
record UsersSettings(PasswordHasher.Cost hashCost, int hashingConcurrent, int hashingWaiting, Duration hashingMaxWait,
                     LoginThrottle.Settings loginThrottle, Rate registerPerAddress, Rate loginPerAddress,
                     Rate searchPerAccount, Rate searchPerAddress, Duration deletedUsernameQuarantine) {

    static UsersSettings from(Config users) {
        Config hash = users.get("password-hash");
        Config login = users.get("login");
        Config limits = users.get("rate-limits");
        return new UsersSettings(
                new PasswordHasher.Cost(hash.get("memory-kib").asInt().get(), hash.get("iterations").asInt().get(),
                        hash.get("parallelism").asInt().get()),
                hash.get("max-concurrent").asInt().orElse(Runtime.getRuntime().availableProcessors()),
                hash.get("max-waiting").asInt().get(),
                hash.get("max-wait").as(Duration.class).get(),
                new LoginThrottle.Settings(login.get("free-failures").asInt().get(),
                        login.get("first-delay").as(Duration.class).get(), login.get("max-delay").as(Duration.class).get()),
                Rate.from(limits.get("register.per-address")),
                Rate.from(limits.get("login.per-address")),
                Rate.from(limits.get("search.per-account")),
                Rate.from(limits.get("search.per-address")),
                users.get("deleted-username-quarantine").as(Duration.class).get());
    }
}
