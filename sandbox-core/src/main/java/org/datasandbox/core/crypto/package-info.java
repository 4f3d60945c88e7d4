/**
 * Crypto profiles through Bouncy Castle: Chinese commercial cryptography (SM2 signatures, SM3 hashes,
 * SM4-GCM encryption) by default, and an international profile (Ed25519, SHA-256, AES-GCM). Every
 * signature, hash and key wrap in the sandbox goes through a {@link
 * org.datasandbox.core.crypto.CryptoProfile}; PEM files are read and written by {@link
 * org.datasandbox.core.crypto.Pem}.
 */
package org.datasandbox.core.crypto;
