package dev.messenger.platform.db;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;

import java.util.function.Function;

/** Runs work in one transaction: commit when it returns, roll back when it throws (keeping its error). */
public final class Transactions {
    private Transactions() {
    }

    public static <T> T inTransaction(DbClient db, Function<DbTransaction, T> work) {
        DbTransaction tx = db.transaction();
        T result;
        try {
            result = work.apply(tx);
        } catch (RuntimeException | Error failure) {
            try {
                tx.rollback();
            } catch (RuntimeException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        }
        tx.commit();
        return result;
    }
}
