/**
 * The reviewer web console: server-rendered HTML over HTTPS, served by the sandbox process with the same client
 * certificates as gRPC (mutual TLS against the sandbox CA, the same revocation list, the role from the certificate).
 * {@link org.datasandbox.api.console.ConsoleServer} is the listener, {@link org.datasandbox.api.console.ConsoleRoutes}
 * the table of pages and actions with the roles allowed each (anything else is refused),
 * {@link org.datasandbox.api.console.CsrfTokens} the token every form carries, and the {@code *Page} classes render
 * one page each. Every value is escaped by {@link org.datasandbox.api.console.Html}; pages carry a strict
 * Content-Security-Policy (no script at all) and show ids, names, states and figures, never a data value.
 */
package org.datasandbox.api.console;
