package dev.pypianalytics.support;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The breaking-change check itself: each kind of change, breaking or safe. */
class SchemaCompatibilityTests {

    private static final String BASE = """
            type Query { project(name: String!, since: Int): Project search(filter: Filter): [Project!]! kind: Kind }
            type Project { name: String! total: Int summary: String }
            input Filter { prefix: String limit: Int! }
            enum Kind { A B }
            union Thing = Project
            """;

    private static java.util.List<String> changes(String before, String after) {
        return SchemaCompatibility.breakingChanges(SchemaCompatibility.parse(before), SchemaCompatibility.parse(after));
    }

    @Test
    void theSameSchemaAndAdditionsAreSafe() {
        assertThat(changes(BASE, BASE)).isEmpty();
        assertThat(changes(BASE, BASE.replace("summary: String }", "summary: String license: String }")
                .replace("since: Int)", "since: Int, until: Int)")
                .replace("enum Kind { A B }", "enum Kind { A B C }")
                .replace("limit: Int! }", "limit: Int! sort: String = \"name\" }")
                + "type Extra { x: Int }")).isEmpty();
        // Stricter for readers, looser for senders: safe.
        assertThat(changes(BASE, BASE.replace("total: Int", "total: Int!").replace("limit: Int!", "limit: Int"))).isEmpty();
    }

    /** The committed snapshot: a subgraph SDL that defines the federation types and directives, with custom scalars. */
    @Test
    void theServedSubgraphSnapshotIsComparedLikeAnyOtherSchema() throws IOException {
        String snapshot = Files.readString(Path.of("graphql/schema.snapshot.graphql"));
        assertThat(changes(snapshot, snapshot + "\ntype Extra { x: Long }\n")).isEmpty();
        // The field and its description.
        String withoutRequirement = snapshot.replaceFirst("\n  \"[^\n]*\"\n  requirement: String!\n", "\n");
        assertThat(withoutRequirement).isNotEqualTo(snapshot);
        assertThat(changes(snapshot, withoutRequirement)).containsExactly("field Dependency.requirement was removed");
    }

    /** A subgraph SDL that only imports the federation definitions, read as a router would. */
    @Test
    void aSubgraphSdlImportingFederationIsReadWithItsCustomScalars() {
        String subgraph = """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
                scalar Long
                type Query { project(name: String!): Project }
                type Project @key(fields: "name") { name: String! total: Long }
                """;
        assertThat(changes(subgraph, subgraph.replace("total: Long }", "total: Long license: String }"))).isEmpty();
        assertThat(changes(subgraph, subgraph.replace(" total: Long", ""))).containsExactly("field Project.total was removed");
    }

    @Test
    void removalsBreak() {
        assertThat(changes(BASE, BASE.replace(" summary: String", ""))).containsExactly("field Project.summary was removed");
        assertThat(changes(BASE, BASE.replace(", since: Int", ""))).containsExactly("argument Query.project(since) was removed");
        assertThat(changes(BASE, BASE.replace("enum Kind { A B }", "enum Kind { A }"))).containsExactly("enum value Kind.B was removed");
        assertThat(changes(BASE, BASE.replace("prefix: String ", ""))).containsExactly("input field Filter.prefix was removed");
        assertThat(changes(BASE, BASE.replace("union Thing = Project", ""))).containsExactly("type Thing was removed");
    }

    @Test
    void typeChangesThatBreak() {
        assertThat(changes(BASE, BASE.replace("name: String! total", "name: String total")))
                .containsExactly("field Project.name changed type from String! to String");
        assertThat(changes(BASE, BASE.replace("total: Int", "total: String")))
                .containsExactly("field Project.total changed type from Int to String");
        assertThat(changes(BASE, BASE.replace("since: Int)", "since: Int!)")))
                .containsExactly("argument Query.project(since) changed type from Int to Int!");
        assertThat(changes(BASE, BASE.replace("prefix: String ", "prefix: String! ")))
                .containsExactly("input field Filter.prefix changed type from String to String!");
        assertThat(changes(BASE, BASE.replace("since: Int)", "since: Int, page: Int!)")))
                .containsExactly("argument Query.project(page) was added as required");
        assertThat(changes(BASE, BASE.replace("limit: Int! }", "limit: Int! owner: String! }")))
                .containsExactly("input field Filter.owner was added as required");
    }
}
