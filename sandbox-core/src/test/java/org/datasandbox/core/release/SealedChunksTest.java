package org.datasandbox.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.datasandbox.core.crypto.CryptoProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rule of {@link SealedChunks}: a reader gets no byte that did not come, in order and completely, from
 * the writer of this very file. The oracle knows no attack: for generated plaintexts and any change of the
 * file (a flipped bit anywhere, a cut anywhere, chunks swapped, dropped, repeated or taken from another file
 * of the same result), either the read returns exactly the plaintext and the file was not changed in a way
 * that matters, or it fails with {@link SealedChunks.DamagedException} having returned only a prefix of the
 * plaintext, in whole chunks.
 */
class SealedChunksTest {
    private static final int CHUNK = 64;
    private static final String BOUND = "scenario:result/job-0a";

    private final CryptoProfile crypto = CryptoProfile.of(CryptoProfile.Kind.INTERNATIONAL);
    private final byte[] key = crypto.newSymmetricKey();

    private byte[] seal(byte[] plain, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream sealing = SealedChunks.sealing(out, crypto, key, BOUND, chunk)) {
            Random random = new Random(plain.length);
            for (int i = 0; i < plain.length; ) { // in pieces of random sizes, as a writer of batches would
                int n = Math.min(plain.length - i, 1 + random.nextInt(3 * chunk));
                sealing.write(plain, i, n);
                i += n;
            }
        }
        return out.toByteArray();
    }

    /** What a reader gets before the end or the error, and the error. */
    private record Read(byte[] bytes, IOException error) {
    }

    private Read read(byte[] file, String bound) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = SealedChunks.opening(new ByteArrayInputStream(file), crypto, key, bound)) {
            byte[] buffer = new byte[37];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                got.write(buffer, 0, n);
            }
            return new Read(got.toByteArray(), null);
        } catch (IOException e) {
            return new Read(got.toByteArray(), e);
        }
    }

    private static byte[] plaintext(Random random, int length) {
        byte[] plain = new byte[length];
        random.nextBytes(plain);
        return plain;
    }

    /** The file's chunks (with their headers), after the 28-byte file header. */
    private static List<byte[]> chunks(byte[] file) {
        List<byte[]> chunks = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(file, 28, file.length - 28);
        while (buffer.hasRemaining()) {
            int start = buffer.position();
            buffer.get();
            int length = buffer.getInt();
            buffer.position(buffer.position() + length);
            chunks.add(Arrays.copyOfRange(file, start, buffer.position()));
        }
        return chunks;
    }

    private static byte[] join(byte[] header, List<byte[]> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Arrays.copyOf(header, 28));
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static void assertRefusedWithPrefix(Read read, byte[] plain, String what) {
        assertThat(read.error()).as(what).isInstanceOf(SealedChunks.DamagedException.class);
        assertThat(read.bytes().length % CHUNK).as(what + ": whole chunks only").isZero();
        assertThat(read.bytes()).as(what).isEqualTo(Arrays.copyOf(plain, read.bytes().length));
        assertThat(read.error().getMessage()).startsWith("the sealed result is damaged: ");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void opening_generatedPlaintexts_roundTripExactly(CryptoProfile.Kind kind) throws IOException {
        CryptoProfile profile = CryptoProfile.of(kind);
        byte[] profileKey = profile.newSymmetricKey();
        Random random = new Random(7);
        for (int length : new int[] {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 10 * CHUNK + 17, 5_000}) {
            byte[] plain = plaintext(random, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream sealing = SealedChunks.sealing(out, profile, profileKey, BOUND, CHUNK)) {
                sealing.write(plain);
            }
            try (InputStream in = SealedChunks.opening(new ByteArrayInputStream(out.toByteArray()), profile, profileKey,
                    BOUND)) {
                assertThat(in.readAllBytes()).as("length %d", length).isEqualTo(plain);
            }
        }
    }

    @Test
    void opening_anyFlippedBit_isRefusedAfterAPrefixOnly() throws IOException {
        Random random = new Random(11);
        byte[] plain = plaintext(random, 7 * CHUNK + 5);
        byte[] file = seal(plain, CHUNK);
        for (int position = 0; position < file.length; position++) {
            byte[] changed = file.clone();
            changed[position] ^= (byte) (1 << random.nextInt(8));
            Read read = read(changed, BOUND);
            assertRefusedWithPrefix(read, plain, "bit flipped at " + position);
        }
    }

    @Test
    void opening_anyCut_isRefusedAfterAPrefixOnly() throws IOException {
        byte[] plain = plaintext(new Random(12), 5 * CHUNK);
        byte[] file = seal(plain, CHUNK);
        for (int length = 0; length < file.length; length++) {
            assertRefusedWithPrefix(read(Arrays.copyOf(file, length), BOUND), plain, "cut at " + length);
        }
        byte[] longer = Arrays.copyOf(file, file.length + 1);
        assertRefusedWithPrefix(read(longer, BOUND), plain, "a byte appended");
    }

    @Test
    void opening_chunksReorderedDroppedRepeatedOrFromAnotherFile_isRefused() throws IOException {
        Random random = new Random(13);
        byte[] plain = plaintext(random, 6 * CHUNK + 9);
        byte[] file = seal(plain, CHUNK);
        byte[] sameResultAgain = seal(plain, CHUNK); // the same job sealed again: another file id
        List<byte[]> chunks = chunks(file);
        List<byte[]> others = chunks(sameResultAgain);
        assertThat(chunks).hasSize(7);
        for (int i = 0; i < chunks.size(); i++) {
            for (int j = 0; j < chunks.size(); j++) {
                if (i != j) {
                    List<byte[]> swapped = new ArrayList<>(chunks);
                    swapped.set(i, chunks.get(j));
                    swapped.set(j, chunks.get(i));
                    assertRefusedWithPrefix(read(join(file, swapped), BOUND), plain, "swapped " + i + "," + j);
                    List<byte[]> repeated = new ArrayList<>(chunks);
                    repeated.set(i, chunks.get(j));
                    assertRefusedWithPrefix(read(join(file, repeated), BOUND), plain, "chunk " + j + " at " + i);
                }
            }
            List<byte[]> dropped = new ArrayList<>(chunks);
            dropped.remove(i);
            assertRefusedWithPrefix(read(join(file, dropped), BOUND), plain, "dropped " + i);
            List<byte[]> spliced = new ArrayList<>(chunks);
            spliced.set(i, others.get(i));
            assertRefusedWithPrefix(read(join(file, spliced), BOUND), plain, "chunk " + i + " of another file");
        }
        assertRefusedWithPrefix(read(file, "scenario:result/job-0b"), plain, "another job's binding");
        assertThat(read(file, BOUND).bytes()).isEqualTo(plain);
    }

    @Test
    void sealing_chunkSizeOutOfRange_isRefused() {
        assertThatThrownBy(() -> SealedChunks.sealing(new ByteArrayOutputStream(), crypto, key, BOUND, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkBytes must be > 0");
    }
}
