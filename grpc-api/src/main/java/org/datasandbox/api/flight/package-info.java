/**
 * Released results over Arrow Flight: a Flight service ({@code DoGet}, {@code GetFlightInfo},
 * {@code GetSchema}) on its own port of the same gRPC server stack (mutual TLS with the sandbox CA,
 * revocation, the role table, the ledger), streaming a released job's record batches with
 * back-pressure, the schema carrying each column's role and classification. Entry point:
 * {@link org.datasandbox.api.flight.FlightResultServer}.
 */
package org.datasandbox.api.flight;
