/**
 * The evidence ledger: an append-only file of hash-chained entries, each signed with the sandbox's
 * ledger key, plus a signed head that pins the last entry so that truncation is detected. Entries record
 * who did what and when, with hashes of inputs and outputs and the decisions taken, never data values.
 */
package org.datasandbox.core.ledger;
