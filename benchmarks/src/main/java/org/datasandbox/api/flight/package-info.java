/** Throughput of released results over Arrow Flight ({@code ./benchmarks/flight}). */
package org.datasandbox.api.flight;
