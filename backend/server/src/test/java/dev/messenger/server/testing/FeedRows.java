package dev.messenger.server.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the database holds of a user's feed, read over plain JDBC for assertions. */
public final class FeedRows {
    private FeedRows() {
    }

    /** (seq, message id) of a user's feed, in seq order. */
    public static List<long[]> entries(Connection db, UUID user) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT seq, message_id FROM feed_entries WHERE user_id = CAST(? AS uuid) ORDER BY seq")) {
            query.setString(1, user.toString());
            List<long[]> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.add(new long[] {row.getLong(1), row.getLong(2)});
                }
            }
            return rows;
        }
    }
}
