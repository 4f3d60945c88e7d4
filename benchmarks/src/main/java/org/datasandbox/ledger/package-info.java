/** Benchmarks of the evidence ledger: full verification throughput per crypto profile. */
package org.datasandbox.ledger;
