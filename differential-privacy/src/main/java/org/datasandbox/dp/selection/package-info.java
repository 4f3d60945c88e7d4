/** Private selection among candidates by score: permute-and-flip with exact Bernoulli draws. */
package org.datasandbox.dp.selection;
