/**
 * Validation against the scenario's view of the catalog, and conversion to a relational plan. Only the
 * tables and columns a scenario grants exist here, so anything else is "not found" whether or not it
 * exists elsewhere.
 */
package org.datasandbox.guard.validate;
