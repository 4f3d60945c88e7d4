package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.v1.SampleRequest;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A developer learns no column outside the scenario's grant, not even its name: a scenario granted four of the
 * twelve columns of {@code patients} asks over gRPC for everything a sample request can return (the synthetic
 * preview, the synthetic and the masked samples with their reports, the refusal of a masked preview) and no
 * text or schema of any answer may name an ungranted column. The oracle is the policy's column list, not a
 * list of the places a name could leak from.
 */
class SampleGrantedColumnsTest {
    private static final String SCENARIO = "narrow-grants";
    private static final List<String> GRANTED = List.of("id", "age", "sex", "death");
    private static final List<String> UNGRANTED = List.of("sample_yr", "kappa", "lambda", "flc_grp", "creatinine", "mgus", "futime", "chapter");
    private static SandboxClient developer;

    @BeforeAll
    static void grantFourColumns() {
        GrpcFixture fixture = GrpcFixture.get();
        developer = fixture.client(Role.DEVELOPER);
        fixture.client(Role.ADMIN).applyPolicy("""
                kind: scenario
                id: %s
                purpose: Checks that sample answers name only granted columns
                developers: ["Wang Fang"]
                output:
                  mode: threshold
                  k: 10
                grants:
                  patients: [%s]
                """.formatted(SCENARIO, String.join(", ", GRANTED)));
    }

    @Test
    void sample_everyAnswerOfANarrowGrant_namesNoUngrantedColumn() {
        List<String> answers = new ArrayList<>();
        SandboxClient.Sample preview = developer.sample(request("synthetic").setPreview(true).build());
        answers.add(preview.info().toString());
        assertThat(preview.info().getReportJson()).contains("\"age\"");
        for (String kind : List.of("synthetic", "masked")) {
            SandboxClient.Sample sample = developer.sample(request(kind).setMaxRows(100).build());
            answers.add(sample.info().toString());
            ArrowResults.Table table = ArrowResults.decode(sample.data());
            assertThat(GRANTED).containsAll(table.columns());
            answers.add(table.columns().toString());
        }
        assertThatThrownBy(() -> developer.sample(request("masked").setPreview(true).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> answers.add(e.getMessage() + " " + e.getTrailers()));

        String all = String.join("\n", answers);
        for (String column : UNGRANTED) {
            assertThat(Pattern.compile("\\b" + column + "\\b").matcher(all).find())
                    .as("an answer names the ungranted column %s:%n%s", column, all).isFalse();
        }
        assertThat(all.getBytes(StandardCharsets.UTF_8).length).as("the answers were read").isGreaterThan(500);
    }

    private static SampleRequest.Builder request(String kind) {
        return SampleRequest.newBuilder().setScenario(SCENARIO).setTable("patients").setKind(kind).setFormat("arrow");
    }
}
