package org.datasandbox.core.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datasandbox.core.config.KeySettings;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.ledger.LedgerKeySource;
import org.datasandbox.core.ledger.LedgerVerifier;
import org.datasandbox.core.storage.KeyVault;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys in a SoftHSM2 token initialised by the test in its own token directory: data keys sealed and opened
 * inside the token by a master key whose bytes nobody can read, and a ledger signed by the token that
 * verifies with the public key alone. Skipped only when SoftHSM2 is not installed here; CI installs it
 * ({@code .ci/run}) and fails rather than skips.
 */
class Pkcs11CustodyTest {
    private static final CryptoProfile SM = CryptoProfile.of(CryptoProfile.Kind.SM);
    private static final List<String> LIBRARIES = List.of("/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so", "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/local/lib/softhsm/libsofthsm2.so");

    @TempDir
    static Path root;
    static KeySettings.Pkcs11Settings token;

    @BeforeAll
    static void initialiseToken() throws Exception {
        Optional<Path> library = LIBRARIES.stream().map(Path::of).filter(Files::isRegularFile).findFirst();
        String conf = System.getenv("SOFTHSM2_CONF");
        if (library.isEmpty() || conf == null) {
            String why = library.isEmpty() ? "SoftHSM2 is not installed (apt-get install softhsm2)"
                    : "SOFTHSM2_CONF is not set (run through Maven: sandbox-core's surefire sets it)";
            if (System.getenv("CI") != null) {
                Assertions.fail("CI must run the PKCS#11 test: " + why);
            }
            Assumptions.abort("PKCS#11 test skipped: " + why);
        }
        Path confFile = Path.of(conf);
        Path tokens = confFile.resolveSibling("tokens");
        if (Files.exists(tokens)) {
            try (var old = Files.walk(tokens)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(tokens);
        Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        Process init = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "datasandbox-test",
                "--so-pin", "12345678", "--pin", "87654321").redirectErrorStream(true).start();
        String output = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(init.waitFor()).as(output).isZero();
        Path pin = root.resolve("secrets").resolve("token.pin");
        Files.createDirectories(pin.getParent());
        Files.writeString(pin, "87654321\n");
        Pem.ownerOnly(pin);
        token = new KeySettings.Pkcs11Settings(library.get(), 0, pin);
    }

    private static Pkcs11Custody open(Path data) throws Exception {
        return Pkcs11Custody.open(token, data, new KeyFile(root.resolve("secrets").resolve("sandbox.key")));
    }

    @Test
    void masterKey_inTheToken_sealsDataKeysThatOnlyTheTokenOpensAndNeverShowsItsBytes() throws Exception {
        Path data = root.resolve("data-master");
        Pkcs11Custody custody = open(data);
        KeyVault vault = KeyVault.open(data.resolve("keys"), SM, custody.masterKey(SM));
        byte[] secret = vault.secret("dataset_people");
        // the token is shared by this class's tests: whichever ran first created the master key
        assertThat(custody.drainEvents()).anyMatch(e -> e.key().equals("master") && e.custody().equals(Pkcs11Custody.KIND)
                && (e.action().equals("key.created") || e.action().equals("key.loaded")));

        // a second process: a new vault over the same files and the same token opens the same data key
        KeyVault again = KeyVault.open(data.resolve("keys"), SM, open(data).masterKey(SM));
        assertThat(again.secret("dataset_people")).isEqualTo(secret);
        // a master key outside the token (a guess) does not
        KeyVault guessed = KeyVault.open(data.resolve("keys"), SM, MasterKey.inMemory(SM, SM.newSymmetricKey()));
        assertThatThrownBy(() -> guessed.secret("dataset_people")).hasRootCauseInstanceOf(GeneralSecurityException.class);

        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS11",
                java.security.Security.getProvider("SunPKCS11-DataSandbox0"));
        store.load(null, "87654321".toCharArray());
        assertThat(store.getKey(Pkcs11Custody.MASTER, null).getEncoded()).as("the master key's bytes stay in the token")
                .isNull();
        // nothing under the data directory holds a key: the sealed data key is all there is
        assertThat(data.resolve("keys/master.key")).doesNotExist();
    }

    @Test
    void ledgerKey_inTheToken_signsALedgerThatVerifiesWithThePublicKeyAlone() throws Exception {
        Path data = root.resolve("data-ledger");
        Pkcs11Custody custody = open(data);
        LedgerKeySource keys = new LedgerKeySource() {
            @Override
            public boolean exists() throws java.io.IOException {
                return custody.hasLedgerKey();
            }

            @Override
            public java.security.KeyPair loadOrCreate(CryptoProfile crypto) throws java.io.IOException {
                return custody.ledgerKey(crypto);
            }
        };
        EvidenceLedger ledger = EvidenceLedger.open(data.resolve("ledger"), SM, false, keys);
        for (int i = 0; i < 5; i++) {
            ledger.append(Identity.system(), "test.entry", "e" + i, Map.of("i", Integer.toString(i)));
        }
        assertThat(custody.ledgerKey(SM).getPrivate().getEncoded()).as("the ledger key's bytes stay in the token").isNull();
        var verified = LedgerVerifier.verify(data.resolve("ledger"));
        assertThat(verified.valid()).as(String.valueOf(verified.problem())).isTrue();
        assertThat(verified.entries()).isEqualTo(5);
        // reopened (a restart), the token's key continues the chain
        EvidenceLedger.open(data.resolve("ledger"), SM, true, keys).append(Identity.system(), "test.entry", "e5", Map.of());
        assertThat(LedgerVerifier.verify(data.resolve("ledger")).entries()).isEqualTo(6);
        try (var files = Files.walk(data)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain("ledger.key");
        }
    }

    @Test
    void sandbox_withATokenForItsKeys_storesReadsAndRecordsTheCustody() throws Exception {
        org.datasandbox.core.TestSandbox.get(); // one Spark session per test JVM
        Path data = root.resolve("data-sandbox");
        KeySettings keys = KeySettings.keyFile(root.resolve("secrets").resolve("sandbox.key"))
                .withCaKeystore(root.resolve("secrets").resolve("ca-sandbox.bcfks")).withPkcs11(token);
        try (org.datasandbox.core.Sandbox sandbox = org.datasandbox.core.Sandbox.open(
                org.datasandbox.core.config.SandboxConfig.embedded(data).withKeys(keys).withSampleRows(20))) {
            sandbox.registerDataset(org.datasandbox.core.TestSandbox.as(org.datasandbox.core.identity.Role.PROVIDER),
                    "tokened", "", "name,age\nA,1\nB,2\nC,3\n".getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(sandbox.ledger().entries()).filteredOn(e -> e.action().startsWith("key."))
                    .extracting(e -> e.action() + " " + e.subject() + " " + e.details().get("custody"))
                    .contains("key.created server sealed-keystore", "key.created ca ca-keystore")
                    // the token is shared by this class's tests: whichever ran first created these keys
                    .anyMatch(e -> e.matches("key\\.(created|loaded) master pkcs11"))
                    .anyMatch(e -> e.matches("key\\.(created|loaded) ledger pkcs11"));
        }
        assertThat(LedgerVerifier.verify(data.resolve("ledger")).valid()).isTrue();
        // restarted on the same token: the table opens again (its data key is unsealed by the token)
        try (org.datasandbox.core.Sandbox again = org.datasandbox.core.Sandbox.open(
                org.datasandbox.core.config.SandboxConfig.embedded(data).withKeys(keys).withSampleRows(20))) {
            assertThat(again.ledger().entries()).anyMatch(e -> e.action().equals("key.loaded")
                    && e.subject().equals("master") && "pkcs11".equals(e.details().get("custody")));
        }
    }
}
