package org.datasandbox.core.metadata;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The metadata contract on the embedded default: files under one data directory. */
class FileMetadataStoreTest extends MetadataStoreContractTest {
    @TempDir
    Path dataDir;

    @Override
    MetadataStore openStore() throws Exception {
        return MetadataStore.open(dataDir, "", CLOCK);
    }

    @Override
    void journaled(String jobId) throws Exception {
        java.nio.file.Files.createDirectories(dataDir.resolve("jobs"));
        java.nio.file.Files.writeString(dataDir.resolve("jobs").resolve(jobId + ".json"), "{}");
    }
}
