/**
 * What leaves the sandbox: results encoded as Arrow IPC streams, their hashes, and the receipts that
 * the evidence ledger signs.
 */
package org.datasandbox.core.release;
