/**
 * The gRPC services: each method reads its request, calls the {@link org.datasandbox.core.Sandbox} as
 * the authenticated caller, and writes the reply. No rule, check or data handling lives here.
 */
package org.datasandbox.api.service;
