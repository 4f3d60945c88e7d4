/**
 * Benchmarks of the DP release's package-private parts (the streaming unit-bounding pass), in their package so they
 * reach them without widening the production API.
 */
package org.datasandbox.core.dprelease;
