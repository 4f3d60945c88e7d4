package org.datasandbox.core.job;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** What a result is written through on its way to sealed storage: hashed and counted as it passes. */
final class ResultStream extends FilterOutputStream {
    private final MessageDigest digest;
    private long bytes;

    ResultStream(OutputStream out, MessageDigest digest) {
        super(out);
        this.digest = digest;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        bytes++;
    }

    @Override
    public void write(byte[] b, int offset, int length) throws IOException {
        out.write(b, offset, length);
        digest.update(b, offset, length);
        bytes += length;
    }

    /** Leaves the sealed writer open: its owner commits or discards it. */
    @Override
    public void close() {
    }

    long bytes() {
        return bytes;
    }

    String sha() {
        return java.util.HexFormat.of().formatHex(digest.digest());
    }
}
