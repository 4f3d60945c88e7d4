package org.datasandbox.core.crypto;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one Bouncy Castle provider instance, registered once so that PEM and PKIX helpers find it too. */
public final class BouncyCastle {
    public static final Provider PROVIDER;

    static {
        Provider installed = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (installed == null) {
            installed = new BouncyCastleProvider();
            Security.addProvider(installed);
        }
        PROVIDER = installed;
    }

    private BouncyCastle() {
    }
}
