package org.datasandbox.api.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.core.config.KeySettings;
import org.datasandbox.core.custody.KeyFile;
import org.datasandbox.core.custody.SealedCaKeyStore;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.CertificateSerial;
import org.datasandbox.core.identity.PkiLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sandbox certificate revoke|issue|request|file|collect}: client certificates. {@code revoke} and {@code issue}
 * open the CA keystore (offline: the server never holds the CA key); {@code request} makes a holder's key and PKCS#10
 * request on their machine; {@code file} and {@code collect} are the admin's calls to a running server.
 */
@Command(name = "certificate", mixinStandardHelpOptions = true, description = "Manage client certificates.",
        subcommands = {CertificateCommand.Revoke.class, CertificateCommand.Issue.class, CertificateCommand.Request.class,
                CertificateCommand.File.class, CertificateCommand.Collect.class})
final class CertificateCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a client certificate by serial: the CA signs a new revocation list (pki/revoked.crl) "
                    + "with its key from the CA keystore, which the server itself never opens. "
                    + "A running server refuses the certificate from its next call on and records the revocation in the ledger.")
    static final class Revoke implements Callable<Integer> {

        @Option(names = "--data-dir", required = true, description = "Data directory of the sandbox.")
        Path dataDir;

        @picocli.CommandLine.Mixin
        KeyOptions keys = new KeyOptions();

        @Parameters(paramLabel = "SERIAL", description = "Certificate serial in hex, as the ledger records it or as "
                + "openssl prints it (leading zeros, colons and either case are fine).")
        String serial;

        @Override
        public Integer call() throws Exception {
            CertificateSerial parsed;
            try {
                parsed = CertificateSerial.parse(serial);
            } catch (IllegalArgumentException e) {
                System.err.println("A serial is hex digits (at most 256 bits), optionally separated by colons.");
                return 2;
            }
            PkiLayout layout = PkiLayout.under(dataDir);
            if (!Files.exists(layout.caCertificate())) {
                System.err.println("No certificate authority under " + dataDir);
                return 2;
            }
            boolean added;
            try {
                KeySettings settings = keys.settings(dataDir.toAbsolutePath());
                CertificateAuthority authority = CertificateAuthority.openOrCreate(layout,
                        new SealedCaKeyStore(settings.caKeystore(), new KeyFile(settings.keyFile())));
                if (!authority.canSign()) {
                    System.err.println("Not revoked: no CA keystore at " + settings.caKeystore()
                            + " (give --ca-keystore and --key-file)");
                    return 2;
                }
                added = authority.revoke(parsed);
            } catch (java.io.IOException e) {
                System.err.println("Not revoked: " + e.getMessage());
                return 1;
            }
            System.out.println((added ? "Revoked certificate " : "Already revoked: certificate ") + parsed.hex()
                    + " (the server records the revocation in the ledger)");
            return 0;
        }
    }

    /** The CA of a data directory with its key from the CA keystore, or a message why not. */
    static CertificateAuthority signingAuthority(Path dataDir, KeyOptions keys) throws java.io.IOException {
        PkiLayout layout = PkiLayout.under(dataDir);
        if (!Files.exists(layout.caCertificate())) {
            throw new java.io.IOException("no certificate authority under " + dataDir);
        }
        KeySettings settings = keys.settings(dataDir.toAbsolutePath());
        CertificateAuthority authority = CertificateAuthority.openOrCreate(layout,
                new SealedCaKeyStore(settings.caKeystore(), new KeyFile(settings.keyFile())));
        if (!authority.canSign()) {
            throw new java.io.IOException("no CA keystore at " + settings.caKeystore() + " (give --ca-keystore and --key-file)");
        }
        return authority;
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a client certificate with the CA key from the CA keystore (offline): either sign a request "
                    + "an admin filed over the API (--request ID; the holder made the key), or make a key and certificate "
                    + "here for --role, --name and --org into --out. The server lists issued certificates in the ledger.")
    static final class Issue implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "Data directory of the sandbox.")
        Path dataDir;

        @picocli.CommandLine.Mixin
        KeyOptions keys = new KeyOptions();

        @Option(names = "--request", description = "The id of a filed certificate request (csr-...).")
        String request;

        @Option(names = "--role", description = "provider, admin, developer, reviewer or auditor.")
        String role;

        @Option(names = "--name", description = "The holder's real name (CN).")
        String name;

        @Option(names = "--org", description = "The holder's organization (O).")
        String organization;

        @Option(names = "--out", description = "Folder for the new key and certificate (with --role).")
        Path out;

        @Override
        public Integer call() throws Exception {
            boolean direct = role != null || name != null || organization != null || out != null;
            if ((request == null) == !direct || (direct && (role == null || name == null || organization == null
                    || out == null))) {
                System.err.println("Give --request ID, or all of --role, --name, --org and --out.");
                return 2;
            }
            try {
                CertificateAuthority authority = signingAuthority(dataDir, keys);
                java.security.cert.X509Certificate certificate;
                if (request != null) {
                    certificate = new org.datasandbox.core.identity.SigningRequests(authority.layout()).sign(request,
                            authority);
                } else {
                    var parsed = org.datasandbox.core.identity.Role.parse(role);
                    if (parsed.isEmpty()) {
                        System.err.println("Unknown role '" + role + "': provider, admin, developer, reviewer or auditor.");
                        return 2;
                    }
                    Files.createDirectories(out);
                    certificate = authority.issueClient(name, organization, parsed.get(), out.resolve("client.crt"),
                            out.resolve("client.key"));
                }
                System.out.println("Issued certificate " + certificate.getSerialNumber().toString(16) + " to "
                        + certificate.getSubjectX500Principal().getName() + (out == null ? "" : " in " + out)
                        + " (the server lists it in the ledger)");
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("Not issued: " + e.getMessage());
                return 1;
            } catch (java.io.IOException e) {
                System.err.println("Not issued: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "request", mixinStandardHelpOptions = true,
            description = "Make your key and a certificate request (PKCS#10) for your name, organization and role, on "
                    + "your own machine: --out gets client.key (keep it) and client.csr (give it to the admin).")
    static final class Request implements Callable<Integer> {
        @Option(names = "--role", required = true, description = "The role granted to you.")
        String role;

        @Option(names = "--name", required = true, description = "Your real name (CN).")
        String name;

        @Option(names = "--org", required = true, description = "Your organization (O).")
        String organization;

        @Option(names = "--out", required = true, description = "Folder for client.key and client.csr.")
        Path out;

        @Override
        public Integer call() throws Exception {
            var parsed = org.datasandbox.core.identity.Role.parse(role);
            if (parsed.isEmpty()) {
                System.err.println("Unknown role '" + role + "': provider, admin, developer, reviewer or auditor.");
                return 2;
            }
            var made = org.datasandbox.core.identity.CertificateRequest.create(name, organization, parsed.get());
            Files.createDirectories(out);
            org.datasandbox.core.crypto.Pem.writePrivateKey(out.resolve("client.key"), made.key().getPrivate());
            Files.write(out.resolve("client.csr"), made.csr());
            System.out.println("Wrote " + out.resolve("client.key") + " (keep it) and " + out.resolve("client.csr"));
            return 0;
        }
    }

    @Command(name = "file", mixinStandardHelpOptions = true,
            description = "File a holder's certificate request with a running server (admin); prints its id for "
                    + "`sandbox certificate issue --request ID`.")
    static final class File implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ServerConnection server;

        @Option(names = "--csr", required = true, description = "The holder's client.csr (PKCS#10, DER).")
        Path csr;

        @Option(names = "--role", required = true, description = "The role you grant.")
        String role;

        @Option(names = "--name", required = true, description = "The holder's real name (CN).")
        String name;

        @Option(names = "--org", required = true, description = "The holder's organization (O).")
        String organization;

        @Override
        public Integer call() throws Exception {
            byte[] request = Files.readAllBytes(csr);
            return server.run(org.datasandbox.core.identity.Role.ADMIN, "", client -> {
                System.out.println(client.requestCertificate(name, organization, role, request));
                return 0;
            });
        }
    }

    @Command(name = "collect", mixinStandardHelpOptions = true,
            description = "Fetch the certificate signed for a filed request (admin), to give to its holder.")
    static final class Collect implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ServerConnection server;

        @Parameters(paramLabel = "REQUEST", description = "The request's id (csr-...).")
        String request;

        @Option(names = "--out", required = true, description = "Where to write the certificate (PEM).")
        Path out;

        @Override
        public Integer call() throws Exception {
            return server.run(org.datasandbox.core.identity.Role.ADMIN, "", client -> {
                Files.writeString(out, client.collectCertificate(request));
                System.out.println("Wrote " + out);
                return 0;
            });
        }
    }
}
