/**
 * The evidence ledger: an append-only file of hash-chained entries, signed at checkpoints (every entry, or
 * batched by a {@code CheckpointPolicy}), plus a signed head that pins the last checkpoint so that
 * truncation is detected. Signed checkpoints (copies of the head) kept outside the sandbox detect deletion,
 * rollback and re-signing; a copy beside the ledger directory (the anchor) keeps the server from starting on
 * a ledger that lost entries. Entries leave the live ledger only as a verifiable extract, and only once older
 * than the retention minimum ({@code RetentionPolicy}). Entries record who did what and when, with hashes of
 * inputs and outputs and the decisions taken, never data values.
 */
package org.datasandbox.core.ledger;
