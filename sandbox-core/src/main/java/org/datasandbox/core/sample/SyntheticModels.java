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
import org.datasandbox.sample.synthetic.PrivacyCost;
import org.datasandbox.sample.synthetic.SyntheticModel;
import org.datasandbox.sample.synthetic.SyntheticSampleGenerator;
import org.datasandbox.sample.synthetic.SyntheticSpec;
import org.datasandbox.sample.synthetic.UtilityEstimate;

/**
 * The DP models synthetic samples are drawn from: one per table and policy version, fitted once and
 * kept on disk, so that a restart draws from the same model instead of spending the budget again. A
 * model holds only noisy figures; the file is read back with a filter that admits nothing but the
 * model's own classes.
 */
final class SyntheticModels {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SyntheticModels.class);
    private static final ObjectInputFilter ONLY_MODELS = ObjectInputFilter.Config.createFilter(
            "maxdepth=20;maxrefs=100000;maxbytes=67108864;org.datasandbox.sample.**;org.datasandbox.masking.function.ValueType;"
                    + "java.util.*;java.math.BigDecimal;java.math.BigInteger;java.lang.*;java.lang.Enum;!*");

    /** A model and its id: the hash of its stored bytes, so that every fit (a refit too) is a release of its own. */
    private record Fitted(int version, SyntheticModel model, String id) {
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
            SyntheticSpec spec = SyntheticSpec.withEpsilon(policy.samples().epsilon());
            warnBeforeSpending(policy, originals, columns, spec);
            model = SyntheticSampleGenerator.fit(originals, columns, spec, random);
            write(file, model);
            PrivacyCost cost = model.cost();
            ledger.append(Identity.system(), "sample.model_fitted", policy.table(), Map.of(
                    "epsilon", cost.epsilon().toPlainString(), "delta", Double.toString(cost.delta()),
                    "steps", Integer.toString(cost.steps().size()), "policyVersion", Integer.toString(policy.version())));
        }
        fitted.put(policy.table(), new Fitted(policy.version(), model, idOf(file)));
        return model;
    }

    /** The id of the table's current model (call after {@link #model}): what its budget charge refers to. */
    synchronized String id(TablePolicy policy) {
        Fitted current = fitted.get(policy.table());
        if (current == null || current.version() != policy.version()) {
            throw new IllegalStateException("no model of " + policy.table() + " v" + policy.version() + " is fitted");
        }
        return current.id();
    }

    private static String idOf(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file))).substring(0, 16);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("a synthetic model could not be read back", e);
        }
    }

    /** The cost of the table's current model, once fitted: what a budget store charges for it. */
    synchronized java.util.Optional<PrivacyCost> cost(TablePolicy policy) {
        Fitted current = fitted.get(policy.table());
        return current != null && current.version() == policy.version()
                ? java.util.Optional.of(current.model().cost()) : java.util.Optional.empty();
    }

    /**
     * Tells the admin, before any budget is spent, how useful the model can be: the utility estimate from
     * the number of people, rounded to two significant digits (the log is inside the sandbox, and reads
     * no value of the data).
     */
    private static void warnBeforeSpending(TablePolicy policy, Dataset<Row> originals, List<SampleColumn> columns,
                                           SyntheticSpec spec) {
        String unit = columns.stream().filter(c -> c.kind() == SampleColumn.Kind.PRIVACY_UNIT).map(SampleColumn::name)
                .findFirst().orElse(null);
        if (unit == null) {
            return;
        }
        long people = originals.select(unit).distinct().count();
        double rounded = new java.math.BigDecimal(people).round(new java.math.MathContext(2)).doubleValue();
        UtilityEstimate estimate = UtilityEstimate.of(columns, spec, rounded);
        for (String warning : estimate.warnings()) {
            LOG.warn("synthetic model of table {} policy version {}: {}", policy.table(), policy.version(), warning);
        }
    }

    private static SyntheticModel read(Path file) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            in.setObjectInputFilter(ONLY_MODELS);
            return (SyntheticModel) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            // a model that cannot be read back is refitted: a new model, with a new id, charged again when served
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
