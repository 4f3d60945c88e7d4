package org.datasandbox.api.flight;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Arrow Flight's one-time notice about its zero-copy writer off stderr. Flight's
 * {@code AddWritableBuffer} looks up the unshaded grpc-netty's buffer class when it first loads and, missing it
 * (the sandbox leaves that transport out: see the root pom), prints a stack trace with
 * {@code printStackTrace()}: no property or logger level turns that off, and {@code arrow.flight.enable_zero_copy_write}
 * only decides whether the class is used, not whether it loads. So the class is loaded here once, before any
 * stream, with stderr held; the notice becomes a debug line, and anything else written meanwhile is passed on.
 */
final class ArrowFallbackNotice {
    private static final Logger LOG = LoggerFactory.getLogger(ArrowFallbackNotice.class);
    static final String WRITER_CLASS = "org.apache.arrow.flight.grpc.AddWritableBuffer";
    static final String NOTICE = "Failed to initialize AddWritableBuffer";
    private static boolean loaded;

    private ArrowFallbackNotice() {
    }

    /** Loads Flight's writer class with its notice kept off stderr; once per JVM, before the first stream. */
    static synchronized void loadQuietly() {
        if (loaded) {
            return;
        }
        loaded = true;
        PrintStream err = System.err;
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        System.setErr(new PrintStream(held, true, StandardCharsets.UTF_8));
        try {
            Class.forName(WRITER_CLASS, true, ArrowFallbackNotice.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("Arrow Flight's writer class could not be loaded ({})", e.getClass().getName());
        } finally {
            System.setErr(err);
        }
        String text = held.toString(StandardCharsets.UTF_8);
        if (!text.contains(NOTICE)) {
            err.print(text);
            return;
        }
        LOG.debug("Arrow Flight writes its messages by copying (its zero-copy writer needs the unshaded grpc-netty)");
        // another thread's writes in the meantime: everything but the notice's stack trace
        String others = text.lines().filter(line -> !line.contains(NOTICE) && !line.startsWith("\tat ")
                        && !line.startsWith("\t... ") && !line.startsWith("Caused by: "))
                .collect(Collectors.joining(System.lineSeparator()));
        if (!others.isEmpty()) {
            err.println(others);
        }
    }
}
