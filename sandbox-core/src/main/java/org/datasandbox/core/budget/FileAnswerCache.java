package org.datasandbox.core.budget;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.datasandbox.dp.accounting.AnswerCache;
import org.datasandbox.dp.accounting.AnswerKey;
import org.datasandbox.dp.accounting.BudgetException;

/**
 * Released answers on disk, {@code <dir>/<scenario>/<sha-256 of the query>.answer}, next to the budget
 * store whose spends they save: they live exactly as long as the budget does, so that a restart cannot
 * turn a repeated query into a second spend. The answer is written durably before it is returned, sealed
 * by the cache's {@link AnswerSeal} (the sandbox's: under the scenario's results key, shredded when its
 * authorization ends).
 */
public final class FileAnswerCache implements AnswerCache {
    private final Path dir;
    private final KeyLocks locks = KeyLocks.SHARED;
    private final AnswerSeal seal;

    private FileAnswerCache(Path dir, AnswerSeal seal) {
        this.dir = dir;
        this.seal = seal;
    }

    /** A cache whose answers are kept as text ({@link AnswerSeal#CLEAR}). */
    public static FileAnswerCache open(Path dir) throws IOException {
        return open(dir, AnswerSeal.CLEAR);
    }

    public static FileAnswerCache open(Path dir, AnswerSeal seal) throws IOException {
        Files.createDirectories(Objects.requireNonNull(dir, "dir"));
        return new FileAnswerCache(dir, Objects.requireNonNull(seal, "seal"));
    }

    @Override
    public Optional<String> get(AnswerKey key) {
        try {
            return read(key, file(key));
        } catch (IOException e) {
            throw storage(key);
        }
    }

    @Override
    public String releaseOnce(AnswerKey key, Supplier<String> release) {
        Objects.requireNonNull(release, "release");
        Path file = file(key);
        try {
            Files.createDirectories(file.getParent());
            return locks.withLock(file.resolveSibling(key.digest() + ".lock"), () -> {
                Optional<String> cached = read(key, file);
                if (cached.isPresent()) {
                    return cached.get();
                }
                String answer = Objects.requireNonNull(release.get(), "answer");
                AtomicFiles.write(file, seal.seal(key.scenario(), key.digest(), answer.getBytes(StandardCharsets.UTF_8)));
                return answer;
            });
        } catch (IOException e) {
            throw storage(key);
        }
    }

    private Path file(AnswerKey key) {
        return dir.resolve(Objects.requireNonNull(key, "key").scenario()).resolve(key.digest() + ".answer");
    }

    private Optional<String> read(AnswerKey key, Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] plain = seal.open(key.scenario(), key.digest(), Files.readAllBytes(file));
        return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(plain)).toString());
    }

    /** The answer files kept for a scenario, for the list of what its end shredded. */
    public java.util.List<Path> files(String scenario) throws IOException {
        Path folder = dir.resolve(scenario);
        if (!Files.isDirectory(folder)) {
            return java.util.List.of();
        }
        try (var listed = Files.list(folder)) {
            return listed.filter(f -> f.getFileName().toString().endsWith(".answer")).sorted().toList();
        }
    }

    private static BudgetException storage(AnswerKey key) {
        return new BudgetException(BudgetException.Reason.STORAGE, "the released-answer cache of scenario " + key.scenario()
                + " could not be read or written");
    }
}
