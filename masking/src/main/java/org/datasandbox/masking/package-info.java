/**
 * Masking for development samples and extracts: the functions ({@code function}), the policy model
 * that binds them to columns ({@code policy}) and identifier formats ({@code id}). Pure Java; the only
 * dependency is Bouncy Castle for keyed hashing.
 */
package org.datasandbox.masking;
