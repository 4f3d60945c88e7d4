/**
 * The sandbox runtime: catalog and metadata ({@code catalog}, {@code policy}), encrypted storage
 * ({@code storage}), the Spark engine ({@code engine}), jobs and release ({@code job}, {@code release}),
 * development samples ({@code sample}), the evidence ledger ({@code ledger}), identities and the CA
 * ({@code identity}), and crypto profiles ({@code crypto}). {@link org.datasandbox.core.Sandbox} ties them
 * together; the gRPC layer only translates to and from it.
 */
package org.datasandbox.core;
