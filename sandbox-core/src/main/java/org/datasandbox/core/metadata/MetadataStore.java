package org.datasandbox.core.metadata;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.datasandbox.core.catalog.DatasetRecords;
import org.datasandbox.core.job.JobIds;
import org.datasandbox.core.policy.PolicyRecords;
import org.datasandbox.dp.accounting.BudgetStore;

/**
 * Where one sandbox keeps its metadata: the dataset catalog, the applied table policies and scenarios, job ids and
 * the privacy budgets. Files under the data directory by default ({@link FileMetadataStore}); a PostgreSQL
 * database by JDBC URL ({@link PostgresMetadataStore}), which several servers may share: what one records the
 * others read at their next use, and budget spends of all of them are serialized per account.
 */
public interface MetadataStore extends AutoCloseable {

    DatasetRecords datasets();

    PolicyRecords policies();

    BudgetStore budgets();

    JobIds jobIds();

    /** Where the metadata is, for the ledger and logs: never a password or user name. */
    String describe();

    @Override
    void close();

    /**
     * The store a configuration names: files under {@code dataDir} when {@code url} is empty, else the PostgreSQL
     * database of the JDBC URL, whose schema is created or migrated now.
     */
    static MetadataStore open(Path dataDir, String url, Clock clock) throws IOException {
        return url.isEmpty() ? FileMetadataStore.open(dataDir, clock) : PostgresMetadataStore.open(url, clock);
    }
}
