package org.datasandbox.core.custody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.datasandbox.core.config.KeySettings;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.SecureRandoms;
import org.datasandbox.core.identity.ServerCredentials;

/**
 * Working keys in a PKCS#11 token through the JDK's SunPKCS11 provider (tested with SoftHSM2). The master
 * key is an AES-256 key created inside the token, sensitive and not extractable: data keys are sealed and
 * opened by the token ({@code AES/GCM}); its bytes are never in this process. The ledger key is an ECDSA
 * P-256 key pair in the token (tokens do not do SM2, and SunPKCS11 not Ed25519), so a ledger kept this way
 * is signed {@code SHA256withECDSA} whatever the profile. The TLS server key stays in the sealed keystore:
 * gRPC's TLS stack needs its bytes.
 */
public final class Pkcs11Custody implements KeyCustody {
    public static final String KIND = "pkcs11";
    static final String MASTER = "datasandbox-master";
    static final String LEDGER = "datasandbox-ledger";
    private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

    private final Provider provider;
    private final KeyStore token;
    private final SealedKeyStore serverKeys;
    private final List<KeyEvent> events = new ArrayList<>();

    private Pkcs11Custody(Provider provider, KeyStore token, SealedKeyStore serverKeys) {
        this.provider = provider;
        this.token = token;
        this.serverKeys = serverKeys;
    }

    /** Logs into the token with the PIN of the settings' PIN file; the server key lives in the sealed keystore. */
    public static Pkcs11Custody open(KeySettings.Pkcs11Settings settings, Path dataDir, KeyFile keyFile) throws IOException {
        KeyFile pinFile = new KeyFile(settings.pinFile());
        pinFile.requireOutside(dataDir);
        if (!Files.isRegularFile(settings.library())) {
            throw new KeyCustodyException("no PKCS#11 library at " + settings.library());
        }
        String pin = Files.readString(pinFile.path(), StandardCharsets.UTF_8).strip();
        Provider provider = PROVIDERS.computeIfAbsent(settings.library() + "#" + settings.slotIndex(),
                ignored -> configure(settings));
        try {
            KeyStore token = KeyStore.getInstance("PKCS11", provider);
            token.load(null, pin.toCharArray());
            return new Pkcs11Custody(provider, token, SealedKeyStore.open(dataDir, keyFile));
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyCustodyException("cannot log into the PKCS#11 token of slot index " + settings.slotIndex()
                    + " with the PIN of " + settings.pinFile() + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private static Provider configure(KeySettings.Pkcs11Settings settings) {
        String config = String.join("\n",
                "name = DataSandbox" + settings.slotIndex(),
                "library = " + settings.library(),
                "slotListIndex = " + settings.slotIndex(),
                // keys made in the token stay there: no one, this process included, may read their bytes
                "attributes(generate, CKO_SECRET_KEY, *) = {",
                "  CKA_SENSITIVE = true",
                "  CKA_EXTRACTABLE = false",
                "}",
                "attributes(generate, CKO_PRIVATE_KEY, *) = {",
                "  CKA_SENSITIVE = true",
                "  CKA_EXTRACTABLE = false",
                "}");
        Provider provider = Security.getProvider("SunPKCS11").configure("--" + config);
        // registered so that signatures with the token's keys find it (the ledger signs through JCA)
        Security.addProvider(provider);
        return provider;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public synchronized MasterKey masterKey(CryptoProfile crypto) throws IOException {
        try {
            if (!token.containsAlias(MASTER)) {
                KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
                generator.init(256);
                token.setEntry(MASTER, new KeyStore.SecretKeyEntry(generator.generateKey()), null);
                events.add(new KeyEvent("key.created", "master", KIND));
            } else {
                events.add(new KeyEvent("key.loaded", "master", KIND));
            }
            Key key = token.getKey(MASTER, null);
            if (!(key instanceof SecretKey secret)) {
                throw new KeyCustodyException("the token's " + MASTER + " is not a secret key");
            }
            return new TokenMasterKey(secret, provider);
        } catch (GeneralSecurityException e) {
            throw new KeyCustodyException("the token's master key is unusable: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public MasterKey rotateMasterKey(CryptoProfile crypto, Rotation reseal) throws KeyCustodyException {
        throw new KeyCustodyException("rotating the master key of a token is not supported: the token keeps one "
                + "non-extractable key under " + MASTER);
    }

    @Override
    public void importMasterKey(CryptoProfile crypto, byte[] key) throws KeyCustodyException {
        throw new KeyCustodyException("a master key in clear is not imported into a token: migrate the data directory "
                + "with the sealed keystore first");
    }

    @Override
    public synchronized boolean hasLedgerKey() throws IOException {
        try {
            return token.containsAlias(LEDGER);
        } catch (GeneralSecurityException e) {
            throw new KeyCustodyException("the token is unreadable", e);
        }
    }

    @Override
    public synchronized KeyPair ledgerKey(CryptoProfile crypto) throws IOException {
        try {
            if (!token.containsAlias(LEDGER)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
                generator.initialize(new ECGenParameterSpec("secp256r1"), SecureRandoms.shared());
                KeyPair pair = generator.generateKeyPair();
                Certificate self = SelfSignedCertificate.of(pair, "SHA256withECDSA", "Data Sandbox ledger", provider);
                token.setKeyEntry(LEDGER, pair.getPrivate(), null, new Certificate[] {self});
                events.add(new KeyEvent("key.created", "ledger", KIND));
            } else {
                events.add(new KeyEvent("key.loaded", "ledger", KIND));
            }
            PrivateKey key = (PrivateKey) token.getKey(LEDGER, null);
            return new KeyPair(token.getCertificate(LEDGER).getPublicKey(), key);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new KeyCustodyException("the token's ledger key is unusable: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void importLedgerKey(CryptoProfile crypto, KeyPair pair) throws KeyCustodyException {
        throw new KeyCustodyException("a ledger key in clear is not imported into a token: migrate the data directory "
                + "with the sealed keystore first");
    }

    @Override
    public Optional<ServerCredentials> serverCredentials() throws IOException {
        return serverKeys.serverCredentials();
    }

    @Override
    public void storeServerCredentials(ServerCredentials credentials) throws IOException {
        serverKeys.storeServerCredentials(credentials);
    }

    @Override
    public synchronized List<KeyEvent> drainEvents() {
        List<KeyEvent> drained = new ArrayList<>(events);
        events.clear();
        drained.addAll(serverKeys.drainEvents());
        return List.copyOf(drained);
    }

    /** Seals inside the token: AES-GCM with a fresh nonce, output nonce followed by ciphertext and tag. */
    private record TokenMasterKey(SecretKey key, Provider provider) implements MasterKey {
        @Override
        public byte[] seal(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
            byte[] nonce = new byte[CryptoProfile.GCM_NONCE_BYTES];
            SecureRandoms.shared().nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(CryptoProfile.GCM_TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return out;
        }

        @Override
        public byte[] open(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
            if (sealed.length < CryptoProfile.GCM_NONCE_BYTES + CryptoProfile.GCM_TAG_BITS / 8) {
                throw new GeneralSecurityException("sealed data too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(CryptoProfile.GCM_TAG_BITS, sealed, 0,
                    CryptoProfile.GCM_NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, CryptoProfile.GCM_NONCE_BYTES, sealed.length - CryptoProfile.GCM_NONCE_BYTES);
        }
    }
}
