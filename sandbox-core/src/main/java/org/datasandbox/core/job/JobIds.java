package org.datasandbox.core.job;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Claims job ids, so that no two jobs share one: on this server's data directory by default, across every server
 * sharing the metadata database with {@code metadata.PostgresJobIds}.
 */
public interface JobIds {

    /** Whether the id was free; it is taken from now on. */
    boolean claim(String jobId);

    /**
     * Ids free when no journaled job of this data directory has them (the journal holds every job the server still
     * knows). Ids are 48 random bits, so two submissions drawing one id at once is not a case to lock for.
     */
    static JobIds notJournaled(Path journalDir) {
        return jobId -> !Files.exists(journalDir.resolve(jobId + ".json"));
    }
}
