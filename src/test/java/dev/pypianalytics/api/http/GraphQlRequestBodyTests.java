package dev.pypianalytics.api.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphQlRequestBodyTests {

    private static Map<String, Object> parse(String body) {
        return GraphQlRequestBody.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                                                      | The request body is empty
            `  \n `                                                 | The request body is empty
            null                                                    | must be a JSON object such as {"query": "{ __typename }"}, not null.
            42                                                      | must be a JSON object such as {"query": "{ __typename }"}, not a number.
            "{ __typename }"                                        | must be a JSON object such as {"query": "{ __typename }"}, not a string.
            [{"query": "{ a }"}, {"query": "{ b }"}]                | Batched requests (a JSON array) are not supported: send one operation per request
            {"query":                                               | The request body is not valid JSON: Unexpected end-of-input
            {query: "{ a }"}                                        | The request body is not valid JSON: Unexpected character
            {"query": "{ a }"} {"query": "{ b }"}                   | The request body is not valid JSON: Trailing token
            {"query": "{ a }", "query": "{ b }"}                    | The request body is not valid JSON: Duplicate Object property "query"
            {"query": 5}                                            | "query" must be a string (the GraphQL document), not a number.
            {"query": {"text": "{ a }"}}                            | "query" must be a string (the GraphQL document), not an object.
            {"query": ["{ a }"]}                                    | "query" must be a string (the GraphQL document), not an array.
            {"query": "{ a }", "operationName": true}               | "operationName" must be a string or null, not a boolean.
            {"query": "{ a }", "operationName": ["A"]}              | "operationName" must be a string or null, not an array.
            {"query": "{ a }", "variables": "{\\"name\\": \\"x\\"}"} | "variables" must be a JSON object or null, not a string.
            {"query": "{ a }", "variables": [1, 2]}                 | "variables" must be a JSON object or null, not an array.
            {"query": "{ a }", "variables": 7}                      | "variables" must be a JSON object or null, not a number.
            {"query": "{ a }", "extensions": []}                    | "extensions" must be a JSON object or null, not an array.
            {"query": "{ a }", "extensions": false}                 | "extensions" must be a JSON object or null, not a boolean.
            {}                                                      | The request has no "query"
            {"query": null}                                         | The request has no "query"
            {"query": ""}                                           | The request has an empty "query"
            {"query": " \\n "}                                       | The request has an empty "query"
            {"qeury": "{ a }"}                                      | The request has no "query"
            {"extensions": {"other": 1}}                            | The request has no "query"
            """)
    void aBodyThatIsNotOneGraphQlRequestIsRefusedNamingTheProblem(String body, String message) {
        assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(RequestRejected.class, rejected -> {
            assertThat(rejected.status().value()).isEqualTo(400);
            assertThat(rejected.classification()).isEqualTo("BAD_REQUEST");
            assertThat(rejected.getMessage()).contains(message);
        });
    }

    @Test
    void aParseErrorSaysWhere() {
        assertThatThrownBy(() -> parse("{\"query\": \"{ a }\",\n \"variables\": {,}}"))
                .isInstanceOf(RequestRejected.class).hasMessageContaining("(line 2, column");
    }

    @Test
    void invalidUtf8IsNotValidJson() {
        byte[] body = {'{', '"', 'q', 'u', 'e', 'r', 'y', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
        assertThatThrownBy(() -> GraphQlRequestBody.parse(body)).isInstanceOf(RequestRejected.class)
                .hasMessageContaining("not valid JSON").hasMessageContaining("UTF-8");
    }

    @Test
    void jsonNestedDeeperThanTheLimitIsRefusedWithoutReadingIt() {
        assertThatThrownBy(() -> parse("{\"query\": \"{ a }\", \"variables\": {\"v\": " + "[".repeat(70) + "]".repeat(70) + "}}"))
                .isInstanceOf(RequestRejected.class).hasMessage("The request body's JSON nests deeper than 64 levels.");
        // Sixty levels are still fine.
        assertThat(parse("{\"query\": \"{ a }\", \"variables\": {\"v\": " + "[".repeat(60) + "]".repeat(60) + "}}"))
                .containsKey("variables");
    }

    @Test
    void aWellFormedRequestIsReadAsItsJsonValues() {
        Map<String, Object> request = parse("""
                {"query": "query Q($n: String!) { project(name: $n) { name } }", "operationName": "Q",
                 "variables": {"n": "boto3", "list": [1, 2.5, true, null]}, "extensions": {"queryPlan": true}, "other": "ignored"}""");
        assertThat(request).containsEntry("query", "query Q($n: String!) { project(name: $n) { name } }")
                .containsEntry("operationName", "Q")
                .containsEntry("extensions", Map.of("queryPlan", true));
        assertThat(request.get("variables")).isEqualTo(Map.of("n", "boto3", "list", java.util.Arrays.asList(1, 2.5, true, null)));
    }

    @Test
    void optionalMembersMayBeNull() {
        assertThat(parse("{\"query\": \"{ a }\", \"operationName\": null, \"variables\": null, \"extensions\": null}"))
                .containsEntry("query", "{ a }");
    }

    @Test
    void aPersistedQueryNeedsNoQueryText() {
        for (String query : List.of("", "\"query\": null, ", "\"query\": \"\", ")) {
            Map<String, Object> request = parse("{" + query + "\"extensions\": {\"persistedQuery\": {\"version\": 1, \"sha256Hash\": \"abc\"}}}");
            // graphql-java's persisted query support recognizes this marker and looks the document up by hash.
            assertThat(request).containsEntry("query", "PersistedQueryMarker");
            assertThat(request.get("extensions")).isEqualTo(Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", "abc")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {name: boto3          | The variables parameter must be a JSON object; it is not valid JSON
            [1]                   | The variables parameter must be a JSON object, not an array.
            "boto3"               | The variables parameter must be a JSON object, not a string.
            null                  | The variables parameter must be a JSON object, not null.
            {"a": 1, "a": 2}      | Duplicate Object property "a"
            """)
    void aUrlParameterThatIsNotAJsonObjectIsRefused(String text, String message) {
        assertThatThrownBy(() -> GraphQlRequestBody.jsonObject(text, "variables"))
                .isInstanceOfSatisfying(RequestRejected.class, rejected -> assertThat(rejected.status().value()).isEqualTo(400))
                .hasMessageContaining(message);
    }

    @Test
    void aUrlParameterThatIsAJsonObjectIsRead() {
        assertThat(GraphQlRequestBody.jsonObject("{\"name\": \"boto3\", \"n\": [1]}", "variables"))
                .isEqualTo(Map.of("name", "boto3", "n", List.of(1)));
    }
}
