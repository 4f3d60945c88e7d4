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
 * turn a repeated query into a second spend. The answer is written durably before it is returned.
 */
public final class FileAnswerCache implements AnswerCache {
    private final Path dir;
    private final KeyLocks locks = KeyLocks.SHARED;

    private FileAnswerCache(Path dir) {
        this.dir = dir;
    }

    public static FileAnswerCache open(Path dir) throws IOException {
        Files.createDirectories(Objects.requireNonNull(dir, "dir"));
        return new FileAnswerCache(dir);
    }

    @Override
    public Optional<String> get(AnswerKey key) {
        try {
            return read(file(key));
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
                Optional<String> cached = read(file);
                if (cached.isPresent()) {
                    return cached.get();
                }
                String answer = Objects.requireNonNull(release.get(), "answer");
                AtomicFiles.write(file, answer.getBytes(StandardCharsets.UTF_8));
                return answer;
            });
        } catch (IOException e) {
            throw storage(key);
        }
    }

    private Path file(AnswerKey key) {
        return dir.resolve(Objects.requireNonNull(key, "key").scenario()).resolve(key.digest() + ".answer");
    }

    private static Optional<String> read(Path file) throws IOException {
        return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }

    private static BudgetException storage(AnswerKey key) {
        return new BudgetException(BudgetException.Reason.STORAGE, "the released-answer cache of scenario " + key.scenario()
                + " could not be read or written");
    }
}
