package org.datasandbox.core.lifecycle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The exclusive hold of one sandbox on its data directory: an operating-system lock on {@code sandbox.lock}
 * ({@link FileChannel#tryLock}), taken before anything else is opened. Two sandboxes appending to one ledger would
 * fork its hash chain, so a second owner is refused, whether it is in another process or in this one. The lock
 * goes with its process: a killed server leaves the file but not the lock, and the next start takes it. The file
 * holds nothing.
 */
public final class DataDirectoryLock implements AutoCloseable {
    /** The lock file's name in the data directory. */
    public static final String FILE = "sandbox.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the data directory, or refuses at once when another holds it.
     *
     * @throws DataDirectoryInUseException when another sandbox holds it (naming the directory only)
     */
    public static DataDirectoryLock acquire(Path dataDir) throws IOException {
        Objects.requireNonNull(dataDir, "dataDir");
        FileChannel channel = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) { // held by another sandbox of this JVM
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new DataDirectoryInUseException(dataDir);
        }
        return new DataDirectoryLock(channel, lock);
    }

    /** Whether this hold is still in force. */
    public boolean held() {
        return lock.isValid();
    }

    /** Gives the directory back; closing twice does nothing. */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
