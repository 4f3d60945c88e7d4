/**
 * Synthetic development samples: rows drawn from a differentially private model of the originals (MST:
 * noisy 1-way marginals over public or partition-selected cells, a privately chosen spanning tree of noisy
 * 2-way marginals, and a noisy number of rows per privacy unit), with identifiers made up in their format
 * and privacy units numbered so that linked tables join. The fit's {@link
 * org.datasandbox.sample.synthetic.PrivacyCost} says what it spent, step by step; nothing else reads the
 * originals.
 */
package org.datasandbox.sample.synthetic;
