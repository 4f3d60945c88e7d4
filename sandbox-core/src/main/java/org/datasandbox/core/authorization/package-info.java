/**
 * The end of an authorization (Art. 18): when a scenario is terminated or its term has ended, its grant ends,
 * the certificates of developers left with no scenario in force are revoked, everything kept for it is
 * destroyed by destroying its keys (crypto-shredding), the ledger is kept, and a {@link
 * org.datasandbox.core.authorization.DeletionCertificate} listing what was destroyed is signed with the ledger
 * key and verifiable offline ({@link org.datasandbox.core.authorization.DeletionCertificates}).
 */
package org.datasandbox.core.authorization;
