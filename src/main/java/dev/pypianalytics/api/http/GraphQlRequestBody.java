package dev.pypianalytics.api.http;

import graphql.execution.preparsed.persisted.PersistedQuerySupport;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * The body of a {@code POST /graphql} read into a GraphQL-over-HTTP request, or refused with a 400 that
 * names the problem: one JSON object (a batch array is refused: one operation per request), with
 * {@code query} a string, {@code operationName} a string or null, {@code variables} and {@code extensions}
 * objects or null; other members are ignored, as the spec asks. Without {@code query} (or with a blank
 * one), the extensions must name a persisted query, and {@code query} becomes graphql-java's marker for it.
 */
public final class GraphQlRequestBody {

    /** Far deeper than any variables of this schema or any client's extensions nest. */
    static final int MAX_DEPTH = 64;

    private static final ObjectReader READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            // Two "query" members could mean two different requests to two different readers.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .readerFor(Object.class);

    private GraphQlRequestBody() {
    }

    /**
     * @param body the bytes as received
     * @return the request's members as JSON values (maps, lists, strings, numbers, booleans), ready for a
     *         {@code WebGraphQlRequest} (whose constructor refuses a missing or blank {@code query} with a bare 400)
     * @throws RequestRejected 400 naming what is wrong
     */
    public static Map<String, Object> parse(byte[] body) {
        if (isBlank(body)) {
            throw RequestRejected.badRequest("The request body is empty; send a JSON object such as " + GraphQlMediaTypes.EXAMPLE + ".");
        }
        Object root;
        try {
            root = READER.readValue(body);
        } catch (StreamConstraintsException e) {
            throw RequestRejected.badRequest("The request body's JSON nests deeper than " + MAX_DEPTH + " levels.");
        } catch (JacksonException e) {
            throw RequestRejected.badRequest("The request body is not valid JSON: " + e.getOriginalMessage() + where(e.getLocation()) + ".");
        }
        if (root instanceof List<?>) {
            throw RequestRejected.badRequest("Batched requests (a JSON array) are not supported: send one operation per request, "
                    + "a JSON object such as " + GraphQlMediaTypes.EXAMPLE + ".");
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw RequestRejected.badRequest("The request body must be a JSON object such as " + GraphQlMediaTypes.EXAMPLE
                    + ", not " + kind(root) + ".");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>) map;
        Object query = request.get("query");
        if (query != null && !(query instanceof String)) {
            throw RequestRejected.badRequest("\"query\" must be a string (the GraphQL document), not " + kind(query) + ".");
        }
        Object operationName = request.get("operationName");
        if (operationName != null && !(operationName instanceof String)) {
            throw RequestRejected.badRequest("\"operationName\" must be a string or null, not " + kind(operationName) + ".");
        }
        for (String member : List.of("variables", "extensions")) {
            Object value = request.get(member);
            if (value != null && !(value instanceof Map<?, ?>)) {
                throw RequestRejected.badRequest("\"" + member + "\" must be a JSON object or null, not " + kind(value) + ".");
            }
        }
        if (query == null || ((String) query).isBlank()) {
            if (!(request.get("extensions") instanceof Map<?, ?> extensions && extensions.containsKey("persistedQuery"))) {
                throw RequestRejected.badRequest("The request has " + (query == null ? "no \"query\"" : "an empty \"query\"")
                        + ": send the GraphQL document as a string, as in " + GraphQlMediaTypes.EXAMPLE
                        + " (or extensions.persistedQuery for a persisted query).");
            }
            // What graphql-java's persisted query support looks for in place of the document.
            request.put("query", PersistedQuerySupport.PERSISTED_QUERY_MARKER);
        }
        return request;
    }

    /**
     * A JSON object given as text (the {@code variables} and {@code extensions} parameters of a GET), read as
     * strictly as a body.
     *
     * @throws RequestRejected 400 naming the parameter and the problem
     */
    public static Map<String, Object> jsonObject(String text, String parameter) {
        Object value;
        try {
            value = READER.readValue(text);
        } catch (StreamConstraintsException e) {
            throw RequestRejected.badRequest("The " + parameter + " parameter must be a JSON object; its JSON nests deeper than "
                    + MAX_DEPTH + " levels.");
        } catch (JacksonException e) {
            throw RequestRejected.badRequest("The " + parameter + " parameter must be a JSON object; it is not valid JSON: "
                    + e.getOriginalMessage() + where(e.getLocation()) + ".");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw RequestRejected.badRequest("The " + parameter + " parameter must be a JSON object, not " + kind(value) + ".");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        return object;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String where(TokenStreamLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** The JSON type of a value, as a client would name it. */
    static String kind(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "a string";
            case Number n -> "a number";
            case Boolean b -> "a boolean";
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> "a JSON value";
        };
    }
}
