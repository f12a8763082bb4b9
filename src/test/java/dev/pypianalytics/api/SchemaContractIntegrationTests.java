package dev.pypianalytics.api;

import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.SchemaCompatibility;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The schema as a contract: the SDL served at {@code /graphql/schema} must equal the committed snapshot
 * {@code graphql/schema.snapshot.graphql}. A change fails this test with the list of what breaks
 * existing clients (or "additions only"); updating the snapshot (see the message) acknowledges it.
 */
class SchemaContractIntegrationTests extends IntegrationTest {

    static final Path SNAPSHOT = Path.of("graphql/schema.snapshot.graphql");

    @Test
    void theServedSchemaMatchesTheCommittedSnapshot() throws Exception {
        String served = web
                .get().uri("/graphql/schema").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(served).contains("type Query").contains("type Project @key");
        if (Boolean.getBoolean("updateSchemaSnapshot")) {
            Files.writeString(SNAPSHOT, served, StandardCharsets.UTF_8);
            return;
        }
        String snapshot = Files.readString(SNAPSHOT, StandardCharsets.UTF_8);
        if (snapshot.equals(served)) {
            return;
        }
        List<String> breaking = SchemaCompatibility.breakingChanges(SchemaCompatibility.parse(snapshot), SchemaCompatibility.parse(served));
        String update = "If the change is intended, acknowledge it by updating the snapshot: "
                + "./mvnw verify -Dit.test=SchemaContractIntegrationTests -DupdateSchemaSnapshot=true (and commit it).";
        if (!breaking.isEmpty()) {
            fail("The schema breaks existing clients:\n  - " + String.join("\n  - ", breaking) + "\n" + update);
        }
        fail("The schema changed compatibly (additions only) but the snapshot was not updated. " + update);
    }
}
