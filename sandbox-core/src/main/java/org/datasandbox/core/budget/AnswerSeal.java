package org.datasandbox.core.budget;

import java.io.IOException;

/**
 * How released answers are kept at rest. The sandbox seals them under their scenario's results key, so the
 * end of an authorization crypto-shreds them with its results; {@link #CLEAR} keeps them as they are.
 */
public interface AnswerSeal {
    /** Answers stored as their UTF-8 text: the layout before answers were sealed. */
    AnswerSeal CLEAR = new AnswerSeal() {
        @Override
        public byte[] seal(String scenario, String name, byte[] plain) {
            return plain;
        }

        @Override
        public byte[] open(String scenario, String name, byte[] sealed) {
            return sealed;
        }
    };

    byte[] seal(String scenario, String name, byte[] plain) throws IOException;

    /** Throws when the bytes do not open (the scenario's key destroyed, or altered). */
    byte[] open(String scenario, String name, byte[] sealed) throws IOException;
}
