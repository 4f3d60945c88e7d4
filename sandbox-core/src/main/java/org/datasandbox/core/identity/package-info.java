/**
 * Real-name identities and the sandbox's own certificate authority. Every client certificate carries
 * the holder's name (CN) and role (OU); the gRPC layer reads them from the mutual-TLS session and checks
 * every call against the role, deny by default.
 */
package org.datasandbox.core.identity;
