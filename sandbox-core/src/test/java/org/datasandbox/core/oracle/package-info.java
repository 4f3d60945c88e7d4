/**
 * Oracles that judge the query guard without knowing any attack: the perturbation oracle (one person
 * removed or changed must move no released value that fewer than k people move), the exact-answer
 * oracle (released values and types equal an independent database's thresholded answer), and a seeded
 * grammar-based fuzzer of the Spark SQL an analyst or an attacker writes.
 */
package org.datasandbox.core.oracle;
