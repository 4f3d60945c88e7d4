package org.datasandbox.core.policy;

/** What an admin gets back for an applied policy: which one, which version, and its hash. */
public record PolicyReceipt(String kind, String name, int version, String sha) {
}
