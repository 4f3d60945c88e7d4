package org.datasandbox.core.metadata;

import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.datasandbox.core.job.JobIds;

/** Job ids claimed in the metadata database: the primary key makes an id taken by any server taken for all. */
final class PostgresJobIds implements JobIds {
    private final Database database;

    PostgresJobIds(Database database) {
        this.database = database;
    }

    @Override
    public boolean claim(String jobId) {
        try {
            return database.transaction(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO job_ids (job_id) VALUES (?) ON CONFLICT (job_id) DO NOTHING")) {
                    insert.setString(1, jobId);
                    return insert.executeUpdate() == 1;
                }
            });
        } catch (SQLException e) {
            throw new UncheckedIOException(new java.io.IOException("job ids cannot be claimed", e));
        }
    }
}
