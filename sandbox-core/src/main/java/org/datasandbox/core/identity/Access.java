package org.datasandbox.core.identity;

import java.util.Arrays;
import org.datasandbox.core.SandboxException;

/** Role checks inside the core, behind the ones of the gRPC layer: deny by default, twice. */
public final class Access {
    private Access() {
    }

    public static void require(Identity identity, Role... allowed) {
        if (identity == null || Arrays.stream(allowed).noneMatch(r -> r == identity.role())) {
            throw SandboxException.accessDenied("this action needs the role "
                    + String.join(" or ", Arrays.stream(allowed).map(Role::label).toList()));
        }
    }
}
