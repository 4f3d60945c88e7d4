package org.datasandbox.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.policy.PolicyParser;
import org.datasandbox.core.policy.TablePolicy;
import org.junit.jupiter.api.Test;

class MaskedSampleRiskTest {

    @Test
    void unguessable_onlyMasksThatKeepNoRealPart_areLeftOutOfTheAttackerKnownColumns() throws Exception {
        TablePolicy policy = new PolicyParser(CryptoProfile.of(CryptoProfile.Kind.SM)).parse("""
                kind: table-policy
                table: people
                columns:
                  - {name: pid, role: privacy_unit, mask: pseudonym}
                  - {name: id_card, role: direct_identifier, mask: resident_id_token}
                  - {name: card, role: direct_identifier, mask: bank_card}
                  - {name: code, role: direct_identifier, mask: social_credit_code}
                  - {name: phone, role: direct_identifier, mask: {function: ff1, keep_prefix: 3}}
                  - {name: account, role: direct_identifier, mask: ff1}
                """).table().orElseThrow();
        assertThat(policy.columns().stream().filter(MaskedSampleRisk::unguessable).map(c -> c.name()))
                .containsExactly("pid", "account");
    }
}
