/**
 * Synthetic development samples: rows drawn from a differentially private model of the originals
 * (per-column hierarchical or categorical histograms and a PrivBayes tree of pairwise dependencies),
 * with identifiers made up in their format and privacy units numbered so that linked tables join.
 */
package org.datasandbox.sample.synthetic;
