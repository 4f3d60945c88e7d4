package org.datasandbox.core.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The connections to the metadata database and the one way to run a transaction on them: a small bounded pool
 * (at most {@code size} connections, callers beyond wait), and {@link #transaction} that commits, or rolls back
 * and runs the body again when PostgreSQL aborted it as a serialization failure or deadlock (SQLSTATE 40001,
 * 40P01), a bounded number of times.
 */
final class Database implements AutoCloseable {
    static final int ATTEMPTS = 20;

    /** A unit of work in one transaction. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final PGSimpleDataSource source = new PGSimpleDataSource();
    private final Semaphore permits;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private volatile boolean closed;

    Database(String url, int size) {
        Objects.requireNonNull(url, "url");
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1. Provided value: " + size);
        }
        source.setURL(url);
        this.permits = new Semaphore(size, true);
    }

    /** Runs {@code work} in one READ COMMITTED transaction (row locks serialize what must be), retried as above. */
    <T> T transaction(Work<T> work) throws SQLException {
        SQLException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Connection connection = borrow();
            boolean healthy = false;
            try {
                connection.setAutoCommit(false);
                T result = work.run(connection);
                connection.commit();
                healthy = true;
                return result;
            } catch (SQLException e) {
                rollbackQuietly(connection);
                healthy = isValid(connection);
                if (!retryable(e)) {
                    throw e;
                }
                last = e;
                backOff(attempt);
            } catch (RuntimeException e) {
                rollbackQuietly(connection);
                healthy = true;
                throw e;
            } finally {
                giveBack(connection, healthy);
            }
        }
        throw last;
    }

    static boolean retryable(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private Connection borrow() throws SQLException {
        if (closed) {
            throw new SQLException("the metadata database is closed");
        }
        permits.acquireUninterruptibly();
        Connection connection;
        synchronized (idle) {
            connection = idle.pollFirst();
        }
        try {
            return connection != null ? connection : source.getConnection();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private void giveBack(Connection connection, boolean healthy) {
        try {
            if (healthy && !closed) {
                synchronized (idle) {
                    idle.addFirst(connection);
                }
            } else {
                closeQuietly(connection);
            }
        } finally {
            permits.release();
        }
    }

    private static boolean isValid(Connection connection) {
        try {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is checked before it goes back to the pool
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing to do for a connection that is going away
        }
    }

    /** Jittered, growing pauses: two servers that collided should not collide again at once. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L + 5L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.forEach(Database::closeQuietly);
            idle.clear();
        }
    }
}
