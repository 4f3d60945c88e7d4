/**
 * Oracles that judge the query guard without knowing any attack: the perturbation oracle (one person
 * removed or changed must move no released value that fewer than k people move), the exact-answer
 * oracle (released values and types equal an independent database's thresholded answer), the error-channel
 * oracle (decisions, messages and error codes through the whole runtime equal on neighbouring datasets), and
 * seeded generators of the Spark SQL an analyst or an attacker writes ({@code SqlFuzzer}'s shapes and the
 * red team's recursive {@code GrammarSqlGenerator}).
 */
package org.datasandbox.core.oracle;
