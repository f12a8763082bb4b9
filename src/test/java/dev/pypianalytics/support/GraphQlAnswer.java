package dev.pypianalytics.support;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a GraphQL answer's errors as JSON. */
public final class GraphQlAnswer {

    private GraphQlAnswer() {
    }

    public static List<String> messages(JsonNode answer) {
        List<String> messages = new ArrayList<>();
        answer.path("errors").forEach(error -> messages.add(error.path("message").asString()));
        return messages;
    }

    /** The errors' classifications; fails when the answer has no errors. */
    public static List<String> classifications(JsonNode answer) {
        List<String> kinds = new ArrayList<>();
        answer.path("errors").forEach(error -> kinds.add(error.path("extensions").path("classification").asString()));
        assertThat(kinds).as(answer.toString()).isNotEmpty();
        return kinds;
    }
}
