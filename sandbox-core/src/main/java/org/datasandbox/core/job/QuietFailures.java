package org.datasandbox.core.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence for the sandbox's own threads: an exception nobody caught is logged by class
 * name only. The JVM's default would print its message and stack trace, and Spark's messages can quote
 * data values.
 */
public final class QuietFailures {
    private static final Logger LOG = LoggerFactory.getLogger(QuietFailures.class);

    public static final Thread.UncaughtExceptionHandler HANDLER = (thread, error) ->
            LOG.error("uncaught {} in thread {}", error.getClass().getName(), thread.getName());

    private QuietFailures() {
    }
}
