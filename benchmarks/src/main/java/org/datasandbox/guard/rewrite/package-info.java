/** Benchmarks of the threshold rewrite: a sandboxed aggregate against plain Spark on the same data. */
package org.datasandbox.guard.rewrite;
