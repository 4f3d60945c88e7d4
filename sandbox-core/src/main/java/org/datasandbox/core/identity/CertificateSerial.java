package org.datasandbox.core.identity;

import java.math.BigInteger;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A certificate serial number, compared as a number: {@code 00:AB:01} (as {@code openssl x509 -text}
 * prints it), {@code 00AB01} ({@code openssl x509 -serial}) and {@code ab01} (as the ledger records it)
 * are the same serial.
 *
 * @param value positive, at most 256 bits (RFC 5280 allows 20 octets)
 */
public record CertificateSerial(BigInteger value) {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+(:[0-9a-fA-F]+)*");

    public CertificateSerial {
        Objects.requireNonNull(value, "value");
        if (value.signum() <= 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("a certificate serial is a positive number of at most 256 bits");
        }
    }

    /** Parses hex digits, optionally with leading zeros, colons between groups, either case. */
    public static CertificateSerial parse(String text) {
        String trimmed = text.strip();
        if (trimmed.length() > 200 || !HEX.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("a certificate serial is hex digits, optionally separated by colons");
        }
        return new CertificateSerial(new BigInteger(trimmed.replace(":", ""), 16));
    }

    /** Lower-case hex without leading zeros: the form identities and ledger entries carry. */
    public String hex() {
        return value.toString(16);
    }

    @Override
    public String toString() {
        return hex();
    }
}
