package org.datasandbox.core.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.datasandbox.core.budget.AtomicFiles;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.storage.KeyVault;

/**
 * What a scenario's jobs leave at rest, sealed: released and approved results ({@code <job>.sealed}) and
 * DP answers, each encrypted with the profile's AEAD (SM4-GCM or AES-GCM) under one data key per scenario
 * ({@code results_<hash of the scenario>}) held in the key vault like samples' keys, with the scenario and
 * the item's name as associated data (a file moved to another job or scenario does not open). Destroying
 * the scenario's key at the end of its authorization makes every one of them unreadable (crypto-shredding),
 * wherever copies of the files went.
 */
public final class SealedResults implements org.datasandbox.core.budget.AnswerSeal {
    private static final String SUFFIX = ".sealed";
    private static final String HELD_SUFFIX = ".held" + SUFFIX;
    private static final String HELD_NAME = "held/";

    private final Path dir;
    private final KeyVault vault;
    private final CryptoProfile crypto;

    private SealedResults(Path dir, KeyVault vault, CryptoProfile crypto) {
        this.dir = dir;
        this.vault = vault;
        this.crypto = crypto;
    }

    public static SealedResults open(Path dir, KeyVault vault, CryptoProfile crypto) throws IOException {
        Files.createDirectories(Objects.requireNonNull(dir, "dir"));
        return new SealedResults(dir, Objects.requireNonNull(vault, "vault"), Objects.requireNonNull(crypto, "crypto"));
    }

    /** The vault's name of a scenario's results key: a hash, so no scenario id reaches a file name. */
    public String keyName(String scenario) {
        return "results_" + HexFormat.of().formatHex(crypto.hash(("results/" + scenario).getBytes(StandardCharsets.UTF_8)))
                .substring(0, 24);
    }

    /** Where a job's sealed result is kept: a folder per scenario key, so that shredding can list them. */
    public Path file(String scenario, String jobId) {
        return dir.resolve(keyName(scenario)).resolve(jobId + SUFFIX);
    }

    /** Seals a job's result and writes it durably (replacing an earlier one). */
    public void write(String scenario, String jobId, byte[] ipc) throws IOException {
        Path file = file(scenario, jobId);
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, seal(scenario, "result/" + jobId, ipc));
    }

    /** A job's result, opened; empty when no file is kept. Throws when it does not open (key gone, altered). */
    public Optional<byte[]> read(String scenario, String jobId) throws IOException {
        Path file = file(scenario, jobId);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(open(scenario, "result/" + jobId, Files.readAllBytes(file)));
    }

    public void delete(String scenario, String jobId) throws IOException {
        Files.deleteIfExists(file(scenario, jobId));
    }

    /** Every sealed result file kept, for a restart to remove those no journal record keeps. */
    public List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }

    /**
     * Seals anything kept for a scenario (a DP answer, say) under its results key, bound to {@code name}.
     * The key is made on first use.
     */
    @Override
    public byte[] seal(String scenario, String name, byte[] plain) throws IOException {
        byte[] key = vault.secret(keyName(scenario));
        try {
            return crypto.seal(key, plain, associatedData(scenario, name));
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    /** Opens what {@link #seal} sealed; refuses when the key was destroyed or the bytes changed. */
    @Override
    public byte[] open(String scenario, String name, byte[] sealed) throws IOException {
        if (!vault.hasKey(keyName(scenario))) {
            throw new IOException("the scenario's results key was destroyed (its authorization ended)");
        }
        byte[] key = vault.secret(keyName(scenario));
        try {
            return crypto.open(key, sealed, associatedData(scenario, name));
        } catch (GeneralSecurityException e) {
            throw new IOException("a sealed result does not open (altered, or moved from another job)");
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    /** What shredding a scenario's results destroyed: the key (if there was one) and the files left as ciphertext. */
    public record Shredded(List<String> keys, List<Path> files) {
        public Shredded {
            keys = List.copyOf(keys);
            files = List.copyOf(files);
        }
    }

    /** Destroys the scenario's results key; its result files stay in place as ciphertext nothing opens. */
    public Shredded shred(String scenario) throws IOException {
        String name = keyName(scenario);
        List<String> keys = new ArrayList<>();
        if (vault.hasKey(name)) {
            vault.destroyKey(name);
            keys.add(name);
        }
        List<Path> files = new ArrayList<>();
        Path folder = dir.resolve(name);
        if (Files.isDirectory(folder)) {
            try (Stream<Path> listed = Files.list(folder)) {
                listed.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        return new Shredded(keys, files);
    }

    /**
     * Where an output held for review is kept until a reviewer decides: beside the scenario's results
     * ({@code <job>.held.sealed}, so that shredding lists it and destroys its key), never under the name a released
     * result has.
     */
    public Path heldFile(String scenario, String jobId) {
        return dir.resolve(keyName(scenario)).resolve(jobId + HELD_SUFFIX);
    }

    /** Seals an output held for review and writes it durably (replacing an earlier one of the job). */
    public void writeHeld(String scenario, String jobId, byte[] ipc) throws IOException {
        Path file = heldFile(scenario, jobId);
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, seal(scenario, HELD_NAME + jobId, ipc));
    }

    /** A held output, opened; empty when none is kept. Throws when it does not open (key gone, altered, moved). */
    public Optional<byte[]> readHeld(String scenario, String jobId) throws IOException {
        Path file = heldFile(scenario, jobId);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(open(scenario, HELD_NAME + jobId, Files.readAllBytes(file)));
    }

    public void deleteHeld(String scenario, String jobId) throws IOException {
        Files.deleteIfExists(heldFile(scenario, jobId));
    }

    /** The name a held file's content is bound to, from the file's name (for the auditor's deletion check). */
    public static Optional<String> heldName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(HELD_SUFFIX)
                ? Optional.of(HELD_NAME + name.substring(0, name.length() - HELD_SUFFIX.length())) : Optional.empty();
    }

    private static byte[] associatedData(String scenario, String name) {
        return ("sealed-result:" + scenario + ":" + name).getBytes(StandardCharsets.UTF_8);
    }
}
