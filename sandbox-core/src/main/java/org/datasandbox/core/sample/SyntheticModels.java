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

    /** The spec a table's model is fitted with: public, from its policy. */
    static SyntheticSpec spec(TablePolicy policy) {
        return SyntheticSpec.withEpsilon(policy.samples().epsilon());
    }

    /**
     * What a fit of the table's model will spend: the spec's epsilon, and its delta only when some category
     * column has no public domain (partition selection); known before the fit, from the policy alone.
     */
    static org.datasandbox.dp.accounting.PrivacyLoss plannedLoss(TablePolicy policy, List<SampleColumn> columns) {
        SyntheticSpec spec = spec(policy);
        boolean selects = columns.stream().anyMatch(c -> c.modelled() && c.kind() == SampleColumn.Kind.CATEGORICAL
                && c.publicDomain().isEmpty());
        double epsilon = spec.epsilon().doubleValue();
        return selects ? org.datasandbox.dp.accounting.PrivacyLoss.thresholded(epsilon, spec.delta())
                : org.datasandbox.dp.accounting.PrivacyLoss.pure(epsilon);
    }

    /** The table's model of its current policy version when one is fitted already (in memory or on disk): free to serve again. */
    synchronized java.util.Optional<SyntheticModel> existing(TablePolicy policy) {
        Fitted current = fitted.get(policy.table());
        if (current != null && current.version() == policy.version()) {
            return java.util.Optional.of(current.model());
        }
        Path file = file(policy);
        SyntheticModel model = Files.exists(file) ? read(file) : null;
        if (model == null) {
            return java.util.Optional.empty();
        }
        fitted.put(policy.table(), new Fitted(policy.version(), model, idOf(file)));
        return java.util.Optional.of(model);
    }

    /**
     * The table's model, fitted now if none exists. The caller checks the budget and computes the estimate
     * before: the fit is the first thing here that reads the originals.
     *
     * @param before the utility estimate from the table's registered size, told to the admin's log too
     */
    synchronized SyntheticModel model(TablePolicy policy, Dataset<Row> originals, List<SampleColumn> columns,
                                      UtilityEstimate before) {
        java.util.Optional<SyntheticModel> existing = existing(policy);
        if (existing.isPresent()) {
            return existing.get();
        }
        for (String warning : before.warnings()) {
            LOG.warn("synthetic model of table {} policy version {}: {}", policy.table(), policy.version(), warning);
        }
        Path file = file(policy);
        SyntheticModel model = SyntheticSampleGenerator.fit(originals, columns, spec(policy), random);
        write(file, model);
        PrivacyCost cost = model.cost();
        ledger.append(Identity.system(), "sample.model_fitted", policy.table(), Map.of(
                "epsilon", cost.epsilon().toPlainString(), "delta", Double.toString(cost.delta()),
                "steps", Integer.toString(cost.steps().size()), "policyVersion", Integer.toString(policy.version())));
        fitted.put(policy.table(), new Fitted(policy.version(), model, idOf(file)));
        return model;
    }

    private Path file(TablePolicy policy) {
        return dir.resolve(policy.table() + "-v" + policy.version() + ".model");
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
     * How useful a model of the table can be, before any budget is spent and without reading the data: from
     * the spec, the columns and the table's registered row count (an upper bound of its people, rounded to two
     * significant digits).
     */
    static UtilityEstimate estimate(TablePolicy policy, List<SampleColumn> columns, long registeredRows) {
        double rounded = new java.math.BigDecimal(Math.max(1, registeredRows)).round(new java.math.MathContext(2)).doubleValue();
        return UtilityEstimate.of(columns, spec(policy), rounded);
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
