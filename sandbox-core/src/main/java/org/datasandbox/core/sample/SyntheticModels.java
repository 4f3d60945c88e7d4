package org.datasandbox.core.sample;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.dp.noise.RandomSource;
import org.datasandbox.sample.SampleColumn;
import org.datasandbox.sample.synthetic.SyntheticModel;
import org.datasandbox.sample.synthetic.SyntheticSampleGenerator;
import org.datasandbox.sample.synthetic.SyntheticSpec;

/**
 * The DP models synthetic samples are drawn from: one per table and policy version, fitted once and
 * kept on disk, so that a restart draws from the same model instead of spending the budget again. A
 * model holds only noisy figures; the file is read back with a filter that admits nothing but the
 * model's own classes.
 */
final class SyntheticModels {
    private static final ObjectInputFilter ONLY_MODELS = ObjectInputFilter.Config.createFilter(
            "maxdepth=20;maxrefs=100000;maxbytes=67108864;org.datasandbox.sample.**;org.datasandbox.masking.function.ValueType;"
                    + "java.util.*;java.math.BigDecimal;java.math.BigInteger;java.lang.*;java.lang.Enum;!*");

    private record Fitted(int version, SyntheticModel model) {
    }

    private final EvidenceLedger ledger;
    private final Path dir;
    private final RandomSource random = RandomSource.secure();
    private final Map<String, Fitted> fitted = new HashMap<>();

    SyntheticModels(EvidenceLedger ledger, Path dir) {
        this.ledger = ledger;
        this.dir = dir;
    }

    synchronized SyntheticModel model(TablePolicy policy, Dataset<Row> originals, List<SampleColumn> columns) {
        Fitted current = fitted.get(policy.table());
        if (current != null && current.version() == policy.version()) {
            return current.model();
        }
        Path file = dir.resolve(policy.table() + "-v" + policy.version() + ".model");
        SyntheticModel model = Files.exists(file) ? read(file) : null;
        if (model == null) {
            model = SyntheticSampleGenerator.fit(originals, columns, SyntheticSpec.withEpsilon(policy.samples().epsilon()), random);
            write(file, model);
            ledger.append(Identity.system(), "sample.model_fitted", policy.table(), Map.of(
                    "epsilon", model.epsilon().toPlainString(), "policyVersion", Integer.toString(policy.version())));
        }
        fitted.put(policy.table(), new Fitted(policy.version(), model));
        return model;
    }

    private static SyntheticModel read(Path file) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            in.setObjectInputFilter(ONLY_MODELS);
            return (SyntheticModel) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            // a model that cannot be read back is refitted; its budget is spent again, and the ledger says so
            return null;
        }
    }

    private void write(Path file, SyntheticModel model) {
        try {
            Files.createDirectories(dir);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(model);
            }
            Path temp = Files.createTempFile(dir, ".model", ".tmp");
            try {
                Files.write(temp, bytes.toByteArray());
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp); // gone already after a successful move
            }
        } catch (IOException e) {
            throw new IllegalStateException("a synthetic model could not be stored", e);
        }
    }
}
