package org.datasandbox.core.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.TestSandbox;
import org.datasandbox.core.config.KeySettings;
import org.datasandbox.core.config.SandboxConfig;
import org.datasandbox.core.crypto.BouncyCastle;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.CaKeyStore;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.storage.EncryptedParquet;
import org.datasandbox.core.storage.KeyVault;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacker holds a copy of the data directory and nothing else. The oracle does not know where keys
 * used to be: it tries every file of the copy as a key, and reads the tables with plain Spark and with
 * the sandbox's own classes. The control (the same copy with the real key file) reads the rows, so the
 * key file is exactly what is missing.
 */
class DataDirectoryCopyTest {
    private static final CryptoProfile SM = CryptoProfile.of(CryptoProfile.Kind.SM);

    @TempDir
    static Path root;
    static Path original;
    static Path stolen;

    @BeforeAll
    static void stealACopy() throws Exception {
        TestSandbox.get(); // one Spark session per test JVM
        original = root.resolve("data");
        try (Sandbox sandbox = Sandbox.open(SandboxConfig.embedded(original).withSampleRows(50))) {
            StringBuilder csv = new StringBuilder("name,age\n");
            for (int i = 0; i < 40; i++) {
                csv.append("SECRET-RESIDENT-").append(i).append(',').append(20 + i).append('\n');
            }
            sandbox.registerDataset(TestSandbox.as(Role.PROVIDER), "people", "", csv.toString()
                    .getBytes(StandardCharsets.UTF_8), Map.of());
        }
        stolen = root.resolve("stolen");
        try (Stream<Path> files = Files.walk(original)) {
            for (Path file : files.toList()) {
                Path target = stolen.resolve(original.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    @Test
    void copy_readWithPlainSpark_failsOnTheEncryptedFooter() {
        SparkSession spark = SparkSession.active();
        String table = stolen.resolve("data/originals/people").toUri().toString();
        assertThatThrownBy(() -> spark.read().parquet(table).collectAsList()).satisfies(e ->
                assertThat(chain(e)).anyMatch(t -> t.getClass().getName().startsWith("org.apache.parquet.crypto.")));
    }

    @Test
    void copy_openedAsASandboxWithoutTheKeyFile_isRefusedWithTheWayOut() throws Exception {
        assertThatThrownBy(() -> Sandbox.open(SandboxConfig.embedded(stolen)))
                .isInstanceOf(KeyCustodyException.class)
                .hasMessageContaining("sealed by a key file").hasMessageContaining("--key-file");
        Path forged = root.resolve("attacker").resolve("sandbox.key");
        new KeyFile(forged).readOrCreate(); // the attacker's own key file
        assertThatThrownBy(() -> Sandbox.open(SandboxConfig.embedded(stolen).withKeys(KeySettings.keyFile(forged))))
                .isInstanceOf(KeyCustodyException.class).hasMessageContaining("does not open with the key file");
    }

    @Test
    void copy_withAGuessedMasterKey_opensNoDataKey() throws Exception {
        // a fresh attacker process: nothing of this JVM's Parquet key caches
        org.apache.parquet.crypto.keytools.KeyToolkit.removeCacheEntriesForAllTokens();
        KeyVault guessed = KeyVault.open(stolen.resolve("keys"), SM, MasterKey.inMemory(SM, SM.newSymmetricKey()));
        Path table = stolen.resolve("data/originals/people");
        assertThatThrownBy(() -> new EncryptedParquet(guessed).read(SparkSession.active(), "dataset_people", table)
                .collectAsList()).satisfies(e -> assertThat(chain(e)).anyMatch(t -> t.getClass().getName()
                        .equals("org.apache.parquet.crypto.KeyAccessDeniedException")));
    }

    @Test
    void copy_anyFileAsAPrivateKey_signsForNeitherTheLedgerNorTheCaNorTheServer() throws Exception {
        List<PublicKey> guarded = List.of(Pem.readPublicKey(stolen.resolve("ledger/ledger.pub")),
                Pem.readCertificate(PkiLayout.under(stolen).caCertificate()).getPublicKey(),
                Pem.readCertificate(PkiLayout.under(stolen).serverCertificate()).getPublicKey());
        int keysFound = 0;
        try (Stream<Path> files = Files.walk(stolen)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Optional<PrivateKey> key = asPrivateKey(file);
                if (key.isPresent()) {
                    keysFound++;
                    for (PublicKey target : guarded) {
                        assertThat(signsFor(key.get(), target)).as(file + " is a private key of a guarded key").isFalse();
                    }
                }
            }
        }
        assertThat(keysFound).as("the demo client keys parse: the oracle does see keys").isPositive();
        assertThat(CertificateAuthority.openOrCreate(PkiLayout.under(stolen), CaKeyStore.none()).canSign()).isFalse();
    }

    @Test
    void copy_withTheRealKeyFile_readsTheRows() throws Exception {
        KeySettings keys = KeySettings.beside(original);
        SealedKeyStore custody = SealedKeyStore.open(stolen, new KeyFile(keys.keyFile()));
        KeyVault vault = KeyVault.open(stolen.resolve("keys"), SM, custody.masterKey(SM));
        List<String> names = new EncryptedParquet(vault).read(SparkSession.active(), "dataset_people",
                stolen.resolve("data/originals/people")).collectAsList().stream().map(r -> r.getString(0)).toList();
        assertThat(names).hasSize(40).contains("SECRET-RESIDENT-7");
        assertThat(custody.ledgerKey(SM).getPublic().getEncoded())
                .isEqualTo(Pem.readPublicKey(stolen.resolve("ledger/ledger.pub")).getEncoded());
    }

    private static Optional<PrivateKey> asPrivateKey(Path file) {
        try {
            return Optional.of(Pem.readPrivateKey(file));
        } catch (Exception notPem) {
            try {
                var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(Files.readAllBytes(file));
                return Optional.of(new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter()
                        .setProvider(BouncyCastle.PROVIDER).getPrivateKey(info));
            } catch (Exception notDer) {
                return Optional.empty();
            }
        }
    }

    private static boolean signsFor(PrivateKey key, PublicKey target) {
        for (String algorithm : List.of("SM3withSM2", "Ed25519", "SHA256withECDSA")) {
            try {
                byte[] message = "probe".getBytes(StandardCharsets.UTF_8);
                Signature signer = Signature.getInstance(algorithm, BouncyCastle.PROVIDER);
                signer.initSign(key);
                signer.update(message);
                byte[] signature = signer.sign();
                Signature verifier = Signature.getInstance(algorithm, BouncyCastle.PROVIDER);
                verifier.initVerify(target);
                verifier.update(message);
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (Exception wrongAlgorithm) {
                // not this algorithm
            }
        }
        return false;
    }

    private static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
