/**
 * DP-mode release, inside the sandbox: the guard's {@link org.datasandbox.guard.dp.DpQuery} runs in Spark and
 * returns bounded per-group partials; here the budget is charged before anything is released, groups are
 * selected (partition selection on the distinct-unit count) or filled in from public domains, every value is
 * noised with the sensitivity that the scenario's contribution bounds give it, and the release carries per value
 * its mechanism, epsilon/delta and confidence interval. Repeated identical queries get the cached answer.
 * Nothing here decides what may be asked: that is the guard's job.
 */
package org.datasandbox.core.dprelease;
