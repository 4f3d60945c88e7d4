package org.datasandbox.core.ledger;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One ledger entry.
 *
 * @param details facts about the action: ids, hashes, rule ids, column names, counts; never data values
 * @param previousHash the hash of the entry before (64 zeros for the first)
 * @param hash the hash of this entry's canonical form without hash and signature
 * @param signature the ledger key's signature over {@code hash}, base64
 */
public record LedgerEntry(long sequence, String time, String actor, String role, String certificate,
                          String action, String subject, Map<String, String> details,
                          String previousHash, String hash, String signature) {

    public LedgerEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(details));
        Objects.requireNonNull(previousHash, "previousHash");
    }

    /** The fields covered by the hash, in a fixed order. */
    Map<String, Object> body() {
        Map<String, Object> body = new TreeMap<>();
        body.put("seq", sequence);
        body.put("time", time);
        body.put("actor", actor);
        body.put("role", role);
        body.put("cert", certificate);
        body.put("action", action);
        body.put("subject", subject);
        body.put("details", details);
        body.put("prev", previousHash);
        return body;
    }
}
