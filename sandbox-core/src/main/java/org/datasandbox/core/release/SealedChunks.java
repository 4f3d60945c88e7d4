package org.datasandbox.core.release;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.datasandbox.core.crypto.BouncyCastle;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.SecureRandoms;

/**
 * A sealed stream in chunks, so that a result of any size is sealed as it is written and opened as it is read,
 * one chunk in memory at a time. The rule: a reader gets no byte that did not come, in this order and
 * completely, from the writer of this very file. Each chunk is sealed on its own with the profile's AEAD
 * (SM4-GCM or AES-GCM, a fresh nonce each) and its associated data binds it to what it belongs to (the
 * scenario and job), to a random file id, to its index and to whether it is the last chunk (the STREAM
 * construction of Hoang, Reyhanitabar, Rogaway and Vizár, "Online authenticated-encryption and its nonce-reuse
 * misuse-resistance", 2015). So an altered chunk does not open, a chunk moved to another place or another file
 * does not open, and a file cut after any chunk but the last is refused because no chunk that opens as "last"
 * came: the stream is authenticated chunk by chunk and as a whole.
 *
 * <pre>
 * file  := MAGIC(8) fileId(16) chunkBytes(int) chunk*
 * chunk := last(byte 0|1) length(int) sealed(nonce | ciphertext | tag)
 * </pre>
 *
 * A chunk is opened before any of its bytes is returned; a bad one fails the read with a
 * {@link DamagedException} whose message names the chunk, never its content.
 */
public final class SealedChunks {
    /**
     * Plaintext bytes per chunk unless told: 64 KiB, large enough that a chunk's 33 bytes and its AEAD set-up are
     * noise, small enough that the JIT sees the cipher called often (the JDK's AES-GCM intrinsics only replace
     * calls from compiled code: with 1 MiB chunks a 380 MB result decrypted in pure Java, at a tenth of the speed).
     */
    public static final int DEFAULT_CHUNK_BYTES = 64 << 10;
    private static final byte[] MAGIC = "DSCHUNK1".getBytes(StandardCharsets.US_ASCII);
    private static final int FILE_ID_BYTES = 16;
    private static final int MAX_CHUNK_BYTES = 64 << 20;
    private static final int OVERHEAD = CryptoProfile.GCM_NONCE_BYTES + CryptoProfile.GCM_TAG_BITS / 8;

    private SealedChunks() {
    }

    /** A sealed stream that does not open: altered, truncated, reordered or from elsewhere. */
    public static final class DamagedException extends IOException {
        DamagedException(String message) {
            super("the sealed result is damaged: " + message);
        }
    }

    /** Whether sealed bytes begin like this format (older results were sealed in one piece). */
    public static boolean isChunked(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * A stream that seals what is written to it into {@code out}; closing it seals the last chunk and closes
     * {@code out}. The key stays with the stream's cipher until the stream is dropped.
     *
     * @param boundTo what the chunks are bound to (the scenario and the job)
     */
    public static OutputStream sealing(OutputStream out, CryptoProfile crypto, byte[] key, String boundTo,
                                       int chunkBytes) throws IOException {
        return new Sealing(out, crypto, key, boundTo, chunkBytes);
    }

    /** A stream of what {@link #sealing} sealed into {@code in}, opened chunk by chunk; closing it closes {@code in}. */
    public static InputStream opening(InputStream in, CryptoProfile crypto, byte[] key, String boundTo)
            throws IOException {
        return new Opening(in, crypto, key, boundTo);
    }

    private static byte[] associatedData(String boundTo, byte[] fileId, int chunkBytes, long index, boolean last) {
        return ("sealed-chunk:" + boundTo + ":" + HexFormat.of().formatHex(fileId) + ":" + chunkBytes + ":" + index
                + ":" + (last ? "last" : "more")).getBytes(StandardCharsets.UTF_8);
    }

    private static final class Sealing extends OutputStream {
        private final DataOutputStream out;
        private final Aead aead;
        private final String boundTo;
        private final byte[] fileId = new byte[FILE_ID_BYTES];
        private final byte[] buffer;
        private int filled;
        private long index;
        private boolean closed;

        Sealing(OutputStream out, CryptoProfile crypto, byte[] key, String boundTo, int chunkBytes) throws IOException {
            if (chunkBytes <= 0 || chunkBytes > MAX_CHUNK_BYTES) {
                throw new IllegalArgumentException("chunkBytes must be > 0 and <= " + MAX_CHUNK_BYTES
                        + ". Provided value: " + chunkBytes);
            }
            this.out = new DataOutputStream(Objects.requireNonNull(out, "out"));
            this.aead = new Aead(crypto, key);
            this.boundTo = Objects.requireNonNull(boundTo, "boundTo");
            this.buffer = new byte[chunkBytes];
            SecureRandoms.shared().nextBytes(fileId);
            this.out.write(MAGIC);
            this.out.write(fileId);
            this.out.writeInt(chunkBytes);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (closed) {
                throw new IOException("the sealed stream is closed");
            }
            while (length > 0) {
                if (filled == buffer.length) {
                    seal(false); // only now: more data came, so this chunk is not the last
                }
                int n = Math.min(length, buffer.length - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
            }
        }

        private void seal(boolean last) throws IOException {
            byte[] sealed = aead.seal(buffer, filled, associatedData(boundTo, fileId, buffer.length, index, last));
            out.writeByte(last ? 1 : 0);
            out.writeInt(sealed.length);
            out.write(sealed);
            index++;
            filled = 0;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                seal(true);
                out.close();
            } finally {
                Arrays.fill(buffer, (byte) 0);
            }
        }
    }

    private static final class Opening extends InputStream {
        private final DataInputStream in;
        private final Aead aead;
        private final String boundTo;
        private final byte[] fileId = new byte[FILE_ID_BYTES];
        private final int chunkBytes;
        private byte[] chunk = new byte[0];
        private int position;
        private long index;
        private boolean sawLast;

        Opening(InputStream in, CryptoProfile crypto, byte[] key, String boundTo) throws IOException {
            this.in = new DataInputStream(Objects.requireNonNull(in, "in"));
            this.aead = new Aead(crypto, key);
            this.boundTo = Objects.requireNonNull(boundTo, "boundTo");
            try {
                byte[] magic = new byte[MAGIC.length];
                this.in.readFully(magic);
                if (!Arrays.equals(magic, MAGIC)) {
                    throw new DamagedException("it is not a chunked sealed result");
                }
                this.in.readFully(fileId);
                this.chunkBytes = this.in.readInt();
            } catch (EOFException e) {
                throw new DamagedException("it ends inside its header (truncated)");
            }
            if (chunkBytes <= 0 || chunkBytes > MAX_CHUNK_BYTES) {
                throw new DamagedException("its header names an impossible chunk size");
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length == 0) {
                return 0;
            }
            while (position == chunk.length) {
                if (!next()) {
                    return -1;
                }
            }
            int n = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, bytes, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return chunk.length - position;
        }

        /** Opens the next chunk; false at the end, which only a chunk that opened as the last may mark. */
        private boolean next() throws IOException {
            int flag = in.read();
            if (flag < 0) {
                if (!sawLast) {
                    throw new DamagedException("it ends after chunk " + index + " without its last chunk (truncated)");
                }
                return false;
            }
            if (sawLast) {
                throw new DamagedException("there is data after its last chunk");
            }
            if (flag > 1) {
                throw new DamagedException("chunk " + index + " has no valid header");
            }
            boolean last = flag == 1;
            byte[] sealed;
            try {
                int length = in.readInt();
                if (length < OVERHEAD || length > chunkBytes + OVERHEAD) {
                    throw new DamagedException("chunk " + index + " has an impossible length");
                }
                sealed = new byte[length];
                in.readFully(sealed);
            } catch (EOFException e) {
                throw new DamagedException("it ends inside chunk " + index + " (truncated)");
            }
            try {
                chunk = aead.open(sealed, associatedData(boundTo, fileId, chunkBytes, index, last));
            } catch (GeneralSecurityException e) {
                throw new DamagedException("chunk " + index + " does not open (altered, reordered, cut, or from "
                        + "another result)");
            }
            if (!last && chunk.length != chunkBytes) {
                throw new DamagedException("chunk " + index + " is short but not the last");
            }
            position = 0;
            index++;
            sawLast = last;
            return true;
        }

        @Override
        public void close() throws IOException {
            Arrays.fill(chunk, (byte) 0);
            in.close();
        }
    }

    /**
     * The profile's AEAD for one stream, in the same layout as {@link CryptoProfile#seal} (nonce, ciphertext,
     * tag), with one cipher object for all its chunks. AES-GCM runs on the JDK's provider, whose AES and GHASH
     * use the processor's instructions (AES-NI, CLMUL: about 20 times Bouncy Castle's pure Java on a result);
     * SM4-GCM stays on Bouncy Castle, the only provider of SM4 here.
     */
    private static final class Aead {
        private final Cipher cipher;
        private final SecretKeySpec key;

        Aead(CryptoProfile crypto, byte[] key) {
            Objects.requireNonNull(crypto, "crypto");
            try {
                String transformation = crypto.cipherName() + "/GCM/NoPadding";
                this.cipher = "AES".equals(crypto.cipherName()) ? Cipher.getInstance(transformation)
                        : Cipher.getInstance(transformation, BouncyCastle.PROVIDER);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no " + crypto.cipherName() + "-GCM: " + e.getClass().getSimpleName(), e);
            }
            this.key = new SecretKeySpec(key, crypto.cipherName());
        }

        byte[] seal(byte[] plain, int length, byte[] associatedData) {
            try {
                byte[] nonce = new byte[CryptoProfile.GCM_NONCE_BYTES];
                SecureRandoms.shared().nextBytes(nonce);
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(CryptoProfile.GCM_TAG_BITS, nonce));
                cipher.updateAAD(associatedData);
                byte[] out = new byte[nonce.length + cipher.getOutputSize(length)];
                System.arraycopy(nonce, 0, out, 0, nonce.length);
                int written = cipher.doFinal(plain, 0, length, out, nonce.length);
                return written + nonce.length == out.length ? out : Arrays.copyOf(out, nonce.length + written);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("encryption failed: " + e.getClass().getSimpleName(), e);
            }
        }

        byte[] open(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(CryptoProfile.GCM_TAG_BITS, sealed, 0, CryptoProfile.GCM_NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, CryptoProfile.GCM_NONCE_BYTES, sealed.length - CryptoProfile.GCM_NONCE_BYTES);
        }
    }
}
