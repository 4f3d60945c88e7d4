package org.datasandbox.core.budget;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion per file: a lock per path inside this JVM, and an OS file lock across processes (two
 * servers on one data directory). The OS lock alone is not enough, since it is held per JVM, not per
 * thread.
 */
final class KeyLocks {
    static final KeyLocks SHARED = new KeyLocks();

    private KeyLocks() {
    }

    /** Shared by every store of the JVM: the OS lock throws when one JVM takes it twice. */
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    interface Body<T> {
        T run() throws IOException;
    }

    <T> T withLock(Path lockFile, Body<T> body) throws IOException {
        ReentrantLock lock = LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
        lock.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            return body.run();
        } finally {
            lock.unlock();
        }
    }
}
