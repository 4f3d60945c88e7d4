package org.datasandbox.core.release;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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

    /** Seals a job's result and writes it durably (replacing an earlier one), in chunks ({@link SealedChunks}). */
    public void write(String scenario, String jobId, byte[] ipc) throws IOException {
        try (ResultWriter writer = writer(scenario, jobId)) {
            writer.write(ipc);
            writer.commit();
        }
    }

    /** A job's result, opened; empty when no file is kept. Throws when it does not open (key gone, altered). */
    public Optional<byte[]> read(String scenario, String jobId) throws IOException {
        Path file = file(scenario, jobId);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = reader(scenario, jobId).orElseThrow(() -> new NoSuchFileException(file.toString()))) {
            return Optional.of(in.readAllBytes());
        }
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

    /** Seals an output held for review and writes it durably (replacing an earlier one of the job), in chunks. */
    public void writeHeld(String scenario, String jobId, byte[] ipc) throws IOException {
        try (ResultWriter writer = heldWriter(scenario, jobId)) {
            writer.write(ipc);
            writer.commit();
        }
    }

    /** A held output, opened; empty when none is kept. Throws when it does not open (key gone, altered, moved). */
    public Optional<byte[]> readHeld(String scenario, String jobId) throws IOException {
        Optional<InputStream> in = heldReader(scenario, jobId);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream opened = in.get()) {
            return Optional.of(opened.readAllBytes());
        }
    }

    /**
     * An output held for review being written as a job streams it: sealed chunk by chunk as a result is (bound to
     * the same scenario and job, so that an approval puts the very file in place, {@link #releaseHeld}); committed
     * under the held name, never the released one.
     */
    public ResultWriter heldWriter(String scenario, String jobId) throws IOException {
        Path file = heldFile(scenario, jobId);
        Files.createDirectories(file.getParent());
        return new ResultWriter(file, scenario, jobId);
    }

    /**
     * A held output opened chunk by chunk as it is read; empty when none is kept. One sealed in one piece by an
     * earlier version opens too.
     */
    public Optional<InputStream> heldReader(String scenario, String jobId) throws IOException {
        return opening(heldFile(scenario, jobId), scenario, jobId, HELD_NAME + jobId);
    }

    /**
     * Releases a held output: its file becomes the job's result (an atomic rename, whatever its size); one sealed
     * in one piece by an earlier version is sealed again in chunks. False when no held output is kept.
     */
    public boolean releaseHeld(String scenario, String jobId) throws IOException {
        Path held = heldFile(scenario, jobId);
        if (!Files.isRegularFile(held)) {
            return false;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(held)) {
            head = in.readNBytes(16);
        }
        if (!SealedChunks.isChunked(head)) {
            write(scenario, jobId, readHeld(scenario, jobId).orElseThrow());
            deleteHeld(scenario, jobId);
            return true;
        }
        Files.move(held, file(scenario, jobId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(held.getParent());
        return true;
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

    /**
     * A job's result being written: sealed chunk by chunk into a temporary file beside its place as it is
     * written, so a result of any size never sits in memory; {@link #commit} makes it durable and puts it in
     * place (replacing an earlier one); closing without a commit deletes what was written.
     */
    public ResultWriter writer(String scenario, String jobId) throws IOException {
        Path file = file(scenario, jobId);
        Files.createDirectories(file.getParent());
        return new ResultWriter(file, scenario, jobId);
    }

    /**
     * A job's result, opened chunk by chunk as it is read (one chunk in memory); empty when no file is kept.
     * Throws when the key is gone; a damaged file fails the read ({@link SealedChunks.DamagedException}) before
     * any byte of a bad chunk is returned. Results sealed in one piece by earlier versions open too.
     */
    public Optional<InputStream> reader(String scenario, String jobId) throws IOException {
        return opening(file(scenario, jobId), scenario, jobId, "result/" + jobId);
    }

    /** A sealed file of a job, chunked or (an earlier version's) in one piece bound to {@code onePieceName}. */
    private Optional<InputStream> opening(Path file, String scenario, String jobId, String onePieceName)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (!vault.hasKey(keyName(scenario))) {
            throw new IOException("the scenario's results key was destroyed (its authorization ended)");
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            in.mark(16);
            byte[] head = in.readNBytes(16);
            in.reset();
            if (!SealedChunks.isChunked(head)) {
                try (in) {
                    return Optional.of(new ByteArrayInputStream(open(scenario, onePieceName, in.readAllBytes())));
                }
            }
            byte[] key = vault.secret(keyName(scenario));
            try {
                return Optional.of(SealedChunks.opening(in, crypto, key, chunkBinding(scenario, jobId)));
            } finally {
                java.util.Arrays.fill(key, (byte) 0);
            }
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static String chunkBinding(String scenario, String jobId) {
        return "sealed-result:" + scenario + ":result/" + jobId;
    }

    /** A result being sealed into its file; see {@link #writer}. */
    public final class ResultWriter extends OutputStream {
        private final Path target;
        private final Path temporary;
        private final FileChannel channel;
        private final OutputStream sealing;
        private boolean committed;
        private boolean closed;

        private ResultWriter(Path target, String scenario, String jobId) throws IOException {
            this.target = target;
            this.temporary = target.resolveSibling(target.getFileName() + ".part");
            this.channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            byte[] key = vault.secret(keyName(scenario));
            try {
                this.sealing = SealedChunks.sealing(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16),
                        crypto, key, chunkBinding(scenario, jobId), SealedChunks.DEFAULT_CHUNK_BYTES);
            } catch (IOException | RuntimeException e) {
                channel.close();
                Files.deleteIfExists(temporary);
                throw e;
            } finally {
                java.util.Arrays.fill(key, (byte) 0);
            }
        }

        @Override
        public void write(int b) throws IOException {
            sealing.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            sealing.write(bytes, offset, length);
        }

        /** Seals the last chunk, makes the file durable and puts it in place. */
        public void commit() throws IOException {
            if (closed) {
                throw new IOException("the result writer is closed");
            }
            closed = true;
            try {
                sealing.close(); // seals the last chunk and closes the channel
                try (FileChannel again = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    again.force(true);
                }
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                forceDirectory(target.getParent());
                committed = true;
            } finally {
                if (!committed) {
                    Files.deleteIfExists(temporary);
                }
            }
        }

        /** Without a commit: deletes what was written. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Whether a file kept for a scenario (a result, chunked or in one piece, or a DP answer) still opens: what a
     * deletion check asks of every file a shred listed, which must answer false once the scenario's key is gone.
     */
    public boolean opens(String scenario, Path file) {
        String name = file.getFileName().toString();
        try {
            if (!vault.hasKey(keyName(scenario))) {
                return false;
            }
            if (!name.endsWith(SUFFIX)) {
                open(scenario, name.substring(0, name.length() - ".answer".length()), Files.readAllBytes(file));
                return true;
            }
            Optional<String> held = heldName(file);
            String jobId = held.isPresent() ? name.substring(0, name.length() - HELD_SUFFIX.length())
                    : name.substring(0, name.length() - SUFFIX.length());
            Optional<InputStream> opened = opening(file, scenario, jobId, held.orElse("result/" + jobId));
            if (opened.isEmpty()) {
                return false;
            }
            try (InputStream in = opened.get()) { // held outputs: in chunks now, in one piece before
                in.transferTo(OutputStream.nullOutputStream());
                return true;
            }
        } catch (IOException | RuntimeException e) {
            return false; // the key is gone, or the file
        }
    }

    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException notSupported) {
            // Windows cannot open a directory; its rename is durable once the file is
        }
    }

    private static byte[] associatedData(String scenario, String name) {
        return ("sealed-result:" + scenario + ":" + name).getBytes(StandardCharsets.UTF_8);
    }
}
