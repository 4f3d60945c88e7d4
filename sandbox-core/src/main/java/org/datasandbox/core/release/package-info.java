/**
 * What leaves the sandbox: results encoded as Arrow IPC streams, their hashes, and the receipts that
 * the evidence ledger signs; and how results and DP answers are kept at rest, sealed under a key per
 * scenario that the end of its authorization destroys ({@code SealedResults}), results in authenticated
 * chunks so that they are sealed as written and opened as read ({@code SealedChunks}).
 */
package org.datasandbox.core.release;
