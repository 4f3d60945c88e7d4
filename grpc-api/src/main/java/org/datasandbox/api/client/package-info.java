/** A blocking client for the sandbox API, authenticated by a role's certificate; used by the demo and tests. */
package org.datasandbox.api.client;
