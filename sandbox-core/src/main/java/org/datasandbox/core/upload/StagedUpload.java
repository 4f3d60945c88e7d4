package org.datasandbox.core.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;

/**
 * One upload in a staging file: bytes are appended as they arrive (encrypted, hashed, counted against
 * the quota), then, once {@linkplain #finish() finished}, read back as often as the import needs, as a
 * stream or as Parquet's random-access file. Closing deletes the file, whatever state the upload is in.
 */
public final class StagedUpload implements AutoCloseable {
    private enum State { RECEIVING, FINISHED, CLOSED }

    private final Path file;
    private final StagingCipher cipher;
    private final long quota;
    private final MessageDigest digest;
    private OutputStream out;
    private Cipher encryptor;
    private long size;
    private String contentHash;
    private State state = State.RECEIVING;

    StagedUpload(Path file, StagingCipher cipher, long quota, MessageDigest digest) throws IOException {
        this.file = file;
        this.cipher = cipher;
        this.quota = quota;
        this.digest = digest;
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.encryptor = cipher.at(Cipher.ENCRYPT_MODE, 0);
    }

    /** Appends bytes of the upload; refuses the upload once it would pass the quota. */
    public void append(byte[] data, int offset, int length) throws IOException {
        require(State.RECEIVING, "append to");
        if (size + length > quota) {
            throw new SandboxException(ErrorCode.TOO_LARGE, "The upload exceeds the quota of " + quota + " bytes");
        }
        digest.update(data, offset, length);
        out.write(encryptor.update(data, offset, length));
        size += length;
    }

    public void append(byte[] data) throws IOException {
        append(data, 0, data.length);
    }

    /** Ends the upload: no more bytes, the hash and size are fixed, reading may start. */
    public void finish() throws IOException {
        require(State.RECEIVING, "finish");
        out.close();
        out = null;
        encryptor = null;
        contentHash = HexFormat.of().formatHex(digest.digest());
        state = State.FINISHED;
    }

    /** Whether all bytes arrived and the upload is readable (and not yet closed). */
    public boolean finished() {
        return state == State.FINISHED;
    }

    /** Bytes received so far. */
    public long size() {
        return size;
    }

    /** Hash of the uploaded bytes (the crypto profile's hash), once finished. */
    public String contentHash() {
        require(State.FINISHED, "hash");
        return contentHash;
    }

    /** The uploaded bytes, from the start, decrypted as they are read. */
    public InputStream open() throws IOException {
        require(State.FINISHED, "read");
        return new PlainStream(FileChannel.open(file, StandardOpenOption.READ), cipher);
    }

    /** The uploaded bytes as Parquet's random-access input. */
    public InputFile inputFile() {
        require(State.FINISHED, "read");
        return new InputFile() {
            @Override
            public long getLength() {
                return size;
            }

            @Override
            public SeekableInputStream newStream() throws IOException {
                PlainStream in = (PlainStream) open();
                return new DelegatingSeekableInputStream(in) {
                    @Override
                    public long getPos() {
                        return in.position;
                    }

                    @Override
                    public void seek(long newPos) throws IOException {
                        in.seek(newPos);
                    }
                };
            }
        };
    }

    Path file() {
        return file;
    }

    /** Deletes the staging file. */
    @Override
    public void close() throws IOException {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        try {
            if (out != null) {
                out.close();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void require(State expected, String action) {
        if (state != expected) {
            throw new IllegalStateException("cannot " + action + " an upload that is " + state.name().toLowerCase());
        }
    }

    /** Decrypts a staging file as it is read; seeking restarts the counter at the new block. */
    private static final class PlainStream extends InputStream {
        private final FileChannel channel;
        private final StagingCipher cipher;
        private Cipher decryptor;
        private long position;

        PlainStream(FileChannel channel, StagingCipher cipher) {
            this.channel = channel;
            this.cipher = cipher;
            this.decryptor = cipher.at(Cipher.DECRYPT_MODE, 0);
        }

        void seek(long newPosition) throws IOException {
            if (newPosition < 0 || newPosition > channel.size()) {
                throw new java.io.EOFException("seek outside the file");
            }
            channel.position(newPosition);
            decryptor = cipher.at(Cipher.DECRYPT_MODE, newPosition);
            position = newPosition;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, len));
            if (n <= 0) {
                return -1;
            }
            try {
                decryptor.update(b, off, n, b, off);
            } catch (ShortBufferException e) {
                throw new IOException("staging file could not be decrypted", e);
            }
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
