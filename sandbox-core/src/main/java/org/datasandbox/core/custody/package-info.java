/**
 * Key custody: where the sandbox's working keys (the master key that seals dataset keys, the ledger's
 * signing key, the TLS server key) live, and where the CA's key lives apart from them. The embedded
 * default is a keystore in the data directory sealed by a key file kept outside it
 * ({@link org.datasandbox.core.custody.SealedKeyStore}); a PKCS#11 token
 * ({@link org.datasandbox.core.custody.Pkcs11Custody}) keeps the master and ledger keys inside hardware or
 * SoftHSM. Either way a copy of the data directory alone opens no table and signs no ledger entry.
 */
package org.datasandbox.core.custody;
