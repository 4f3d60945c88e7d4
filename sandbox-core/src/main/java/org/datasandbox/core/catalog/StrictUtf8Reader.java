package org.datasandbox.core.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 strictly and counts the lines it hands out, so that the first malformed byte is reported
 * with its line ({@link MalformedLine}), wherever the parser's read-ahead happens to be.
 */
final class StrictUtf8Reader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).flip();
    private boolean endOfInput;
    private boolean malformed;
    private boolean flushed;
    private long newlines;

    StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    /** The first malformed byte sequence, on its 1-based line. */
    static final class MalformedLine extends CharacterCodingException {
        private final long line;

        MalformedLine(long line) {
            this.line = line;
        }

        long line() {
            return line;
        }
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (out.position() == offset) {
            if (malformed) {
                throw new MalformedLine(newlines + 1);
            }
            if (flushed) {
                return -1;
            }
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                malformed = true; // the characters before it go out first, then the error
            } else if (result.isUnderflow() && !endOfInput) {
                fill();
            } else if (result.isUnderflow()) {
                decoder.flush(out);
                flushed = true;
            }
        }
        return count(buffer, offset, out.position() - offset);
    }

    private int count(char[] buffer, int offset, int n) {
        for (int i = offset; i < offset + n; i++) {
            if (buffer[i] == '\n') {
                newlines++;
            }
        }
        return n;
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
