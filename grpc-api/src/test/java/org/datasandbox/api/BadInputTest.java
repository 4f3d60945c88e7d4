package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every bad input gets a clear status and message, leaves nothing behind and quotes no value. */
class BadInputTest {
    /** Values that would be data in a real upload; none may come back in an error. */
    private static final String SECRET_NAME = "Zhao Secretname";
    private static final String SECRET_ID = "420106199003071234";

    private static GrpcFixture fixture;
    private static SandboxClient provider;
    private static SandboxClient developer;
    private static SandboxClient admin;

    @BeforeAll
    static void start() {
        fixture = GrpcFixture.get();
        provider = fixture.client(Role.PROVIDER);
        developer = fixture.client(Role.DEVELOPER);
        admin = fixture.client(Role.ADMIN);
    }

    private static void assertStatus(ThrowingCallable call, Status.Code code, Consumer<String> onMessage) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
            String message = e.getStatus().getDescription();
            assertThat(message).isNotBlank().doesNotContain(SECRET_NAME).doesNotContain(SECRET_ID)
                    .doesNotContain("Exception").doesNotContain("\tat ");
            onMessage.accept(message);
        });
    }

    private static void assertNotRegistered(String name) {
        assertThat(developer.listCatalog().getTablesList()).noneMatch(t -> t.getName().equals(name));
        assertThat(fixture.client(Role.ADMIN).listCatalog().getTablesList()).noneMatch(t -> t.getName().equals(name));
        assertThat(Files.exists(fixture.dataDir.resolve("data/originals").resolve(name))).isFalse();
        assertThat(Files.exists(fixture.dataDir.resolve("catalog/datasets").resolve(name + ".json"))).isFalse();
    }

    @Test
    void registerDataset_rowWiderThanHeader_isRefusedWithLineAndNothingKept() {
        String csv = "id,name,id_card\n1," + SECRET_NAME + "," + SECRET_ID + "\n2,x,y,EXTRA\n";
        assertStatus(() -> provider.registerDataset("ragged", "", csv.getBytes(StandardCharsets.UTF_8), Map.of()),
                Status.Code.INVALID_ARGUMENT, m -> assertThat(m).contains("line 3 has 4 fields but the header has 3"));
        assertNotRegistered("ragged");
    }

    @Test
    void registerDataset_nonUtf8Bytes_isRefused() {
        byte[] csv = "id,name\n1,".getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[csv.length + 3];
        System.arraycopy(csv, 0, bad, 0, csv.length);
        bad[csv.length] = (byte) 0xC3;
        bad[csv.length + 1] = (byte) 0x28; // an invalid UTF-8 sequence
        bad[csv.length + 2] = '\n';
        assertStatus(() -> provider.registerDataset("latin", "", bad, Map.of()), Status.Code.INVALID_ARGUMENT,
                m -> assertThat(m).contains("not valid UTF-8"));
        assertNotRegistered("latin");
    }

    @Test
    void registerDataset_emptyFileOrHeaderOnly_isRefused() {
        assertStatus(() -> provider.registerDataset("empty", "", new byte[0], Map.of()), Status.Code.INVALID_ARGUMENT,
                m -> assertThat(m).contains("the file is empty"));
        assertStatus(() -> provider.registerDataset("empty", "", "id,name\n".getBytes(StandardCharsets.UTF_8), Map.of()),
                Status.Code.INVALID_ARGUMENT, m -> assertThat(m).contains("no rows"));
        assertNotRegistered("empty");
    }

    @Test
    void registerDataset_garbageBytes_isRefused() {
        byte[] garbage = new byte[4096];
        new java.util.Random(1).nextBytes(garbage);
        assertStatus(() -> provider.registerDataset("garbage", "", garbage, Map.of()), Status.Code.INVALID_ARGUMENT,
                m -> assertThat(m).startsWith("Invalid CSV"));
        assertNotRegistered("garbage");
    }

    @Test
    void registerDataset_headerIsData_isRefusedWithoutQuotingIt() {
        String csv = SECRET_NAME + "," + SECRET_ID + "\n" + "a,b\n";
        assertStatus(() -> provider.registerDataset("headless", "", csv.getBytes(StandardCharsets.UTF_8), Map.of()),
                Status.Code.INVALID_ARGUMENT, m -> assertThat(m).contains("header field 1 is not a column name"));
        assertNotRegistered("headless");
    }

    @Test
    void registerDataset_declaredTypeMismatch_namesRowAndColumnNotValue() {
        String csv = "id,birth\n1,1990-01-01\n2," + SECRET_ID + "\n";
        assertStatus(() -> provider.registerDataset("typed", "", csv.getBytes(StandardCharsets.UTF_8), Map.of("birth", "date")),
                Status.Code.INVALID_ARGUMENT, m -> assertThat(m).contains("line 3, column birth is not a valid date (row 2)"));
        assertNotRegistered("typed");
    }

    @Test
    void registerDataset_existingNameOrBadName_isRefused() {
        assertStatus(() -> provider.registerDataset("arrests", "", "id\n1\n".getBytes(StandardCharsets.UTF_8), Map.of()),
                Status.Code.ALREADY_EXISTS, m -> assertThat(m).contains("already registered"));
        assertStatus(() -> provider.registerDataset("../etc", "", "id\n1\n".getBytes(StandardCharsets.UTF_8), Map.of()),
                Status.Code.INVALID_ARGUMENT, m -> assertThat(m).contains("lower-case identifier"));
    }

    @Test
    void registerDataset_overTheUploadLimit_isResourceExhausted() {
        byte[] big = new byte[9 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) '1');
        assertStatus(() -> provider.registerDataset("huge", "", big, Map.of()), Status.Code.RESOURCE_EXHAUSTED,
                m -> assertThat(m).contains("exceeds"));
        assertNotRegistered("huge");
    }

    @Test
    void submitJob_malformedSql_isInvalidArgumentWithPosition() {
        assertStatus(() -> developer.submitJob(GrpcFixture.SCENARIO, "SELECT district,\n  COUNT(* FROM residents"),
                Status.Code.INVALID_ARGUMENT, m -> assertThat(m).contains("SYNTAX_ERROR").contains("line 2"));
    }

    @Test
    void submitJob_unknownTableOrColumn_isNotFound() {
        assertStatus(() -> developer.submitJob(GrpcFixture.SCENARIO, "SELECT COUNT(*) FROM citizens"),
                Status.Code.NOT_FOUND, m -> assertThat(m).contains("'citizens' is not a table or column of this scenario"));
        assertStatus(() -> developer.submitJob(GrpcFixture.SCENARIO, "SELECT nickname, COUNT(*) FROM residents GROUP BY nickname"),
                Status.Code.NOT_FOUND, m -> assertThat(m).contains("nickname"));
    }

    @Test
    void submitJob_unknownScenario_isNotFound() {
        assertStatus(() -> developer.submitJob("secret-project", "SELECT COUNT(*) FROM residents"),
                Status.Code.NOT_FOUND, m -> assertThat(m).contains("scenario 'secret-project' not found"));
    }

    @Test
    void applyPolicy_invalidYaml_namesLineAndReason() {
        String policy = "kind: table-policy\ntable: arrests\ncolumns:\n  - name: id\n    role: privacy_unit\n  - name: age\n    role: identifier_ish\n";
        assertStatus(() -> admin.applyPolicy(policy), Status.Code.INVALID_ARGUMENT,
                m -> assertThat(m).contains("line 7"));
        String missingColumn = "kind: table-policy\ntable: arrests\ncolumns:\n  - {name: id, role: privacy_unit}\n";
        assertStatus(() -> admin.applyPolicy(missingColumn), Status.Code.INVALID_ARGUMENT,
                m -> assertThat(m).contains("has no role"));
        String keepsIdentifier = "kind: table-policy\ntable: residents\ncolumns:\n  - {name: person_id, role: privacy_unit}\n"
                + "  - {name: name, role: direct_identifier, mask: keep}\n";
        assertStatus(() -> admin.applyPolicy(keepsIdentifier), Status.Code.INVALID_ARGUMENT,
                m -> assertThat(m).contains("line 5").contains("cannot be kept unmasked"));
    }

    @Test
    void hugeRequest_overTheMessageLimit_isRefusedByTheTransport() {
        String huge = "kind: scenario\n#" + "x".repeat(5 * 1024 * 1024);
        assertThatThrownBy(() -> admin.applyPolicy(huge)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        String longSql = "SELECT COUNT(*) FROM residents WHERE " + "income > 1 AND ".repeat(6_000) + "income > 0";
        assertStatus(() -> developer.submitJob(GrpcFixture.SCENARIO, longSql), Status.Code.INVALID_ARGUMENT,
                m -> assertThat(m).contains("QUERY_TOO_LARGE"));
    }

    @Test
    void sample_tableNotGrantedOrBadKindOrFormat_isRefused() {
        assertStatus(() -> developer.maskedSample("salaries", 5), Status.Code.NOT_FOUND, m -> assertThat(m).contains("salaries"));
        assertStatus(() -> developer.sample(org.datasandbox.api.v1.SampleRequest.newBuilder().setTable("residents")
                .setKind("raw").build()), Status.Code.INVALID_ARGUMENT, m -> assertThat(m).contains("masked or synthetic"));
        assertStatus(() -> developer.sample(org.datasandbox.api.v1.SampleRequest.newBuilder().setTable("residents")
                .setFormat("xls").build()), Status.Code.INVALID_ARGUMENT, m -> assertThat(m).contains("arrow, parquet or csv"));
        assertStatus(() -> developer.sample(org.datasandbox.api.v1.SampleRequest.newBuilder().setTable("residents")
                .setScenario("no-such-scenario").build()), Status.Code.NOT_FOUND, m -> assertThat(m).contains("residents"));
    }
}
