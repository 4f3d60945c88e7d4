package org.datasandbox.core.metadata;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.datasandbox.core.budget.FileBudgetStore;
import org.datasandbox.core.catalog.DatasetRecords;
import org.datasandbox.core.catalog.FileDatasetRecords;
import org.datasandbox.core.job.JobIds;
import org.datasandbox.core.policy.FilePolicyRecords;
import org.datasandbox.core.policy.PolicyRecords;
import org.datasandbox.dp.accounting.BudgetStore;

/**
 * The embedded default: metadata as files under the data directory ({@code catalog/datasets},
 * {@code catalog/policies}, {@code budget}), exactly where they were before the store could be chosen. A job id is
 * free when no journaled job ({@code jobs}) has it.
 */
public final class FileMetadataStore implements MetadataStore {
    private final DatasetRecords datasets;
    private final PolicyRecords policies;
    private final BudgetStore budgets;
    private final JobIds jobIds;

    private FileMetadataStore(DatasetRecords datasets, PolicyRecords policies, BudgetStore budgets, JobIds jobIds) {
        this.jobIds = jobIds;
        this.datasets = datasets;
        this.policies = policies;
        this.budgets = budgets;
    }

    public static FileMetadataStore open(Path dataDir, Clock clock) throws IOException {
        Path catalog = dataDir.resolve("catalog");
        return new FileMetadataStore(FileDatasetRecords.open(catalog.resolve("datasets")),
                FilePolicyRecords.open(catalog.resolve("policies")), FileBudgetStore.open(dataDir.resolve("budget"), clock),
                JobIds.notJournaled(dataDir.resolve("jobs")));
    }

    @Override
    public DatasetRecords datasets() {
        return datasets;
    }

    @Override
    public PolicyRecords policies() {
        return policies;
    }

    @Override
    public BudgetStore budgets() {
        return budgets;
    }

    @Override
    public JobIds jobIds() {
        return jobIds;
    }

    @Override
    public String describe() {
        return "files";
    }

    @Override
    public void close() {
        // every write is durable when it returns; nothing is held open
    }
}
