package org.datasandbox.core.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.catalog.DatasetCatalog;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.engine.SparkEngine;
import org.datasandbox.core.policy.ColumnPolicy;
import org.datasandbox.core.policy.PolicyStore;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.core.storage.EncryptedParquet;
import org.datasandbox.core.storage.KeyVault;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.masking.function.ValueType;
import org.datasandbox.masking.policy.ColumnMasking;
import org.datasandbox.masking.policy.MaskingFunctions;
import org.datasandbox.masking.policy.MaskingPolicy;
import org.datasandbox.sample.sampling.MaskedSampleGenerator;
import org.datasandbox.sample.sampling.SampleSpec;
import org.datasandbox.sample.sampling.SparkValueTypes;

/**
 * Makes and caches masked samples. Tables linked by a declared join on their privacy units are sampled
 * with the same fraction and seed and pseudonymized with the same key, so a sample of residents and a
 * sample of their visits still join.
 */
public final class SampleService {
    private static final long SEED = 20_261_127L;
    private static final String PSEUDONYM_KEY = "sample_pseudonyms";

    private final SparkEngine engine;
    private final EncryptedParquet storage;
    private final KeyVault vault;
    private final DatasetCatalog datasets;
    private final PolicyStore policies;
    private final CryptoProfile crypto;
    private final Path dir;
    private final int targetRows;
    private final Map<String, Integer> sampledVersion = new ConcurrentHashMap<>();

    public SampleService(SparkEngine engine, EncryptedParquet storage, KeyVault vault, DatasetCatalog datasets,
                         PolicyStore policies, CryptoProfile crypto, Path dir, int targetRows) {
        this.engine = engine;
        this.storage = storage;
        this.vault = vault;
        this.datasets = datasets;
        this.policies = policies;
        this.crypto = crypto;
        this.dir = dir;
        this.targetRows = targetRows;
    }

    /** The masked sample of a table, made on first use after each policy version. */
    public synchronized Dataset<Row> sample(String table) {
        DatasetDescriptor dataset = datasets.get(table).orElseThrow(() -> SandboxException.notFound("table '" + table + "'"));
        TablePolicy policy = policies.table(table)
                .orElseThrow(() -> SandboxException.notFound("a policy for table '" + table + "'"));
        Path location = dir.resolve(table);
        String keyName = "sample_" + table;
        if (!Integer.valueOf(policy.version()).equals(sampledVersion.get(table))) {
            Dataset<Row> originals = engine.originals().table(table);
            MaskingPolicy masking = maskingPolicy(policy, originals);
            SampleSpec spec = new SampleSpec(policy.column(unitOf(policy)).orElseThrow().name(), fraction(table, 0), SEED);
            try {
                storage.write(MaskedSampleGenerator.sample(originals, masking, spec), keyName, location);
            } catch (IOException e) {
                throw new IllegalStateException("the sample of " + table + " could not be stored", e);
            }
            storage.read(engine.samples(), keyName, location).createOrReplaceTempView(table);
            sampledVersion.put(table, policy.version());
        }
        return engine.samples().table(table);
    }

    /** Registers samples of every listed table in the samples session. */
    public void ensure(Iterable<String> tables) {
        for (String table : tables) {
            sample(table);
        }
    }

    /**
     * Share of privacy units sampled: enough for the target size, or, when this table's policy declares
     * that its privacy unit references another table's privacy unit, the share of that table.
     */
    double fraction(String table, int depth) {
        TablePolicy policy = policies.table(table).orElseThrow();
        String unit = unitOf(policy);
        if (depth < 3) {
            for (JoinKey join : policy.joins()) {
                boolean unitToUnit = join.column().equals(unit) && datasets.contains(join.otherTable())
                        && policies.table(join.otherTable()).map(p -> unitOf(p).equals(join.otherColumn())).orElse(false);
                if (unitToUnit) {
                    return fraction(join.otherTable(), depth + 1);
                }
            }
        }
        long rows = Math.max(1, datasets.get(table).orElseThrow().rows());
        return Math.min(1.0, (double) targetRows / rows);
    }

    private MaskingPolicy maskingPolicy(TablePolicy policy, Dataset<Row> originals) {
        byte[] key;
        try {
            key = vault.secret(PSEUDONYM_KEY);
        } catch (IOException e) {
            throw new IllegalStateException("the sample pseudonym key is unavailable", e);
        }
        MaskingPolicy.Builder builder = MaskingPolicy.builder(policy.table(), policy.version());
        for (var field : originals.schema().fields()) {
            Optional<ColumnPolicy> column = policy.column(field.name());
            if (column.isEmpty()) {
                continue;
            }
            ValueType type = SparkValueTypes.of(field.dataType()).orElseThrow();
            builder.column(new ColumnMasking(field.name(), type,
                    MaskingFunctions.create(column.get().mask(), key, crypto.hmac())));
        }
        return builder.build();
    }

    private static String unitOf(TablePolicy policy) {
        return policy.columns().stream().filter(c -> c.role() == ColumnRole.PRIVACY_UNIT)
                .findFirst().orElseThrow().name();
    }
}
