/**
 * Re-releases of a masked sample: what one release shows of each column ({@link MaskedRelease}) and the
 * rule that decides whether a later release may keep the earlier one's keys ({@link ReleaseRule}), because
 * joined on the pseudonym it narrows nobody, or must get fresh pseudonym keys and a fresh selection.
 */
package org.datasandbox.sample.release;
