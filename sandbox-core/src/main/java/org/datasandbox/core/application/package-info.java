/**
 * Scenario applications (Art. 20, 22, 23, 9): a developer's organization applies for a scenario (purpose, the
 * tables and columns it needs, planned outputs and output mode, a term of at most 3 years); an admin approves,
 * narrows (never widens) or rejects it with a reason; an approved application becomes a scenario through the same
 * policy path as a YAML file an admin applies. {@link org.datasandbox.core.application.ApplicationRequest} is what
 * is asked, {@link org.datasandbox.core.application.Narrowing} what an admin takes away, {@link
 * org.datasandbox.core.application.ApplicationStore} keeps every application and its decision.
 */
package org.datasandbox.core.application;
