package dev.pypianalytics.api.http;

import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP edge of the GraphQL endpoint over the real server: every request a client can get wrong is
 * answered with the status the GraphQL-over-HTTP spec names and a GraphQL error saying what to fix, never
 * a 500 or an empty 200; security headers on every answer; HEAD wherever GET is.
 */
class GraphQlEndpointEdgeIntegrationTests extends IntegrationTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };
    private static final MediaType GRAPHQL_RESPONSE = MediaType.parseMediaType("application/graphql-response+json");
    private static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

    private WebTestClient.ResponseSpec post(String contentType, byte[] body) {
        WebTestClient.RequestBodySpec request = web.post().uri("/graphql");
        if (contentType != null) {
            request = request.header(HttpHeaders.CONTENT_TYPE, contentType);
        }
        return request.bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec postJson(String body) {
        return post("application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    /** The answer is a GraphQL response with one error of this classification whose message contains the fragment. */
    private static String expectError(WebTestClient.ResponseSpec response, HttpStatus status, String classification, String fragment) {
        EntityExchangeResult<Map<String, Object>> result = response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody(JSON).returnResult();
        Map<String, Object> body = result.getResponseBody();
        assertThat(body).containsOnlyKeys("errors");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) body.get("errors");
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.get("message")).asString().contains(fragment);
            assertThat(error.get("extensions")).isEqualTo(Map.of("classification", classification));
        });
        return (String) errors.getFirst().get("message");
    }

    // --- bodies ---

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                                                    | The request body is empty
            null                                                  | must be a JSON object such as {"query": "{ __typename }"}, not null
            {"query":                                             | The request body is not valid JSON
            [{"query": "{ __typename }"}]                         | send one operation per request
            {"query": "{ __typename }", "variables": "{}"}        | "variables" must be a JSON object or null, not a string
            {"query": "{ __typename }", "variables": [1]}         | "variables" must be a JSON object or null, not an array
            {"query": "{ __typename }", "extensions": 1}          | "extensions" must be a JSON object or null, not a number
            {"query": "{ __typename }", "operationName": 5}       | "operationName" must be a string or null, not a number
            {"query": 5}                                          | "query" must be a string (the GraphQL document), not a number
            {"query": null}                                       | The request has no "query"
            {"query": ""}                                         | The request has an empty "query"
            {}                                                    | The request has no "query"
            {"query": "{ stats { projects } }", "query": "{ x }"} | Duplicate Object property "query"
            """)
    void aBodyThatIsNotOneGraphQlRequestIs400NamingTheProblem(String body, String message) {
        expectError(postJson(body), HttpStatus.BAD_REQUEST, "BAD_REQUEST", message);
    }

    @Test
    void invalidUtf8AndDeepNestingAre400() {
        byte[] invalid = {'{', '"', 'q', 'u', 'e', 'r', 'y', '"', ':', '"', '{', (byte) 0xc3, '(', '}', '"', '}'};
        expectError(post("application/json", invalid), HttpStatus.BAD_REQUEST, "BAD_REQUEST", "Invalid UTF-8");
        String deep = "{\"query\": \"{ __typename }\", \"variables\": {\"v\": " + "[".repeat(5000) + "]".repeat(5000) + "}}";
        expectError(postJson(deep), HttpStatus.BAD_REQUEST, "BAD_REQUEST", "nests deeper than 64 levels");
    }

    @Test
    void aOneMegabyteQueryIs413NamingTheLimit() {
        String query = "{ " + "__typename ".repeat(100_000) + "}";
        String message = expectError(postJson("{\"query\": \"" + query + "\"}"), HttpStatus.CONTENT_TOO_LARGE, "CONTENT_TOO_LARGE",
                "over this gateway's limit of 100 KB = 102400 bytes");
        assertThat(message).contains("pypi.api.request-body.max-size");
    }

    @Test
    void aTenMegabyteBodyIs413WithOrWithoutContentLength() {
        byte[] tenMegabytes = ("{\"query\": \"{ __typename }\", \"variables\": {\"x\": \"" + "a".repeat(10 * 1024 * 1024) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        expectError(post("application/json", tenMegabytes), HttpStatus.CONTENT_TOO_LARGE, "CONTENT_TOO_LARGE", "100 KB");
        // Chunked: no length announced, the limit is found while reading.
        Flux<DataBuffer> chunks = Flux.range(0, 160).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(
                (i == 0 ? "{\"query\": \"{ __typename }\", \"variables\": {\"x\": \"" : "").concat("a".repeat(64 * 1024))
                        .getBytes(StandardCharsets.UTF_8)));
        expectError(web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).body(chunks, DataBuffer.class).exchange(),
                HttpStatus.CONTENT_TOO_LARGE, "CONTENT_TOO_LARGE", "100 KB");
    }

    // --- content types, encodings, methods ---

    @ParameterizedTest(name = "Content-Type: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            application/graphql                  | send the document inside JSON
            text/plain                           | Content-Type text/plain is not accepted; send Content-Type: application/json
            application/x-www-form-urlencoded    | Content-Type application/x-www-form-urlencoded is not accepted
            application/json; charset=iso-8859-1 | Request bodies are read as UTF-8
            """)
    void anotherContentTypeIs415ListingWhatIsAccepted(String contentType, String message) {
        expectError(post(contentType, "{\"query\": \"{ __typename }\"}".getBytes(StandardCharsets.UTF_8))
                        .expectHeader().valueEquals(HttpHeaders.ACCEPT, "application/json"),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", message);
    }

    @Test
    void aBodyWithoutContentTypeIs415() throws IOException {
        // WebTestClient names a content type for any body it sends; a raw request does not.
        String body = "{\"query\": \"{ __typename }\"}";
        String answer = raw("POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                + body);
        assertThat(answer).startsWith("HTTP/1.1 415").containsIgnoringCase("accept: application/json")
                .contains("\"classification\":\"UNSUPPORTED_MEDIA_TYPE\"").contains("The request has no Content-Type");
    }

    @Test
    void aRefusedRequestWithABodyClosesTheConnection() throws IOException {
        // The client keeps the connection alive; the refusal leaves the body unread, so the connection must
        // not carry another request (the server closes it, which also ends this read).
        String body = "{\"query\": \"{ __typename }\"}";
        String answer = raw("POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body, 10_000);
        assertThat(answer).startsWith("HTTP/1.1 415").containsIgnoringCase("connection: close");
    }

    @Test
    void aCompressedBodyIs415AskingForIdentity() throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gzipped)) {
            out.write("{\"query\": \"{ __typename }\"}".getBytes(StandardCharsets.UTF_8));
        }
        WebTestClient.ResponseSpec response = web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_ENCODING, "gzip").bodyValue(gzipped.toByteArray()).exchange()
                .expectHeader().valueEquals(HttpHeaders.ACCEPT_ENCODING, "identity");
        expectError(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "Content-Encoding: gzip");
    }

    @ParameterizedTest(name = "Accept: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            application/xml   | allows neither
            text/event-stream | allows neither
            ;;;               | The Accept header could not be read
            """)
    void anAcceptWithoutAJsonTypeIs406(String accept, String message) {
        expectError(web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.ACCEPT, accept)
                .bodyValue("{\"query\": \"{ __typename }\"}").exchange(), HttpStatus.NOT_ACCEPTABLE, "NOT_ACCEPTABLE", message);
        expectError(web.get().uri("/graphql?query={query}", "{ __typename }").header(HttpHeaders.ACCEPT, accept).exchange(),
                HttpStatus.NOT_ACCEPTABLE, "NOT_ACCEPTABLE", message);
    }

    @Test
    void otherMethodsAre405WithAllow() {
        for (HttpMethod method : List.of(HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH)) {
            WebTestClient.ResponseSpec response = web.method(method).uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"query\": \"{ __typename }\"}").exchange()
                    .expectHeader().valueEquals(HttpHeaders.ALLOW, "GET,HEAD,POST,OPTIONS");
            expectError(response, HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", method.name() + " is not supported here");
        }
        web.options().uri("/graphql").exchange().expectStatus().isNoContent()
                .expectHeader().valueEquals(HttpHeaders.ALLOW, "GET,HEAD,POST,OPTIONS");
    }

    // --- what still works ---

    @Test
    void validRequestsStillWork() {
        Map<String, Object> expected = Map.of("data", Map.of("__typename", "Query"));
        for (String contentType : List.of("application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8")) {
            post(contentType, "{\"query\": \"{ __typename }\"}".getBytes(StandardCharsets.UTF_8))
                    .expectStatus().isOk().expectHeader().contentType(MediaType.APPLICATION_JSON).expectBody(JSON).isEqualTo(expected);
        }
        // Variables, operation name, extensions and unknown members (ignored, as the spec says).
        postJson("""
                {"query": "query A { __typename } query B($n: String!) { project(name: $n) { name } }", "operationName": "B",
                 "variables": {"n": "boto3"}, "extensions": {}, "somethingElse": 1}""")
                .expectStatus().isOk().expectBody(JSON).isEqualTo(Map.of("data", Map.of("project", Map.of("name", "boto3"))));
        web.get().uri("/graphql?query={query}", "{ __typename }").exchange()
                .expectStatus().isOk().expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(JSON).isEqualTo(expected);
    }

    @Test
    void theSpecsResponseTypeIsHonouredOnPostAndGet() {
        web.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).accept(GRAPHQL_RESPONSE)
                .bodyValue("{\"query\": \"{ __typename }\"}").exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(GRAPHQL_RESPONSE);
        web.get().uri("/graphql?query={query}", "{ __typename }").header(HttpHeaders.ACCEPT, "application/graphql-response+json, application/json;q=0.9")
                .exchange().expectStatus().isOk().expectHeader().contentTypeCompatibleWith(GRAPHQL_RESPONSE)
                // Shared caches must keep one answer per type.
                .expectHeader().valueEquals(HttpHeaders.VARY, "Accept");
        // A request refused before running (no data) is a 400 with that type, on GET as on POST; a legacy client keeps its 200.
        web.get().uri("/graphql?query={query}", "{ noSuchField }").accept(GRAPHQL_RESPONSE).exchange()
                .expectStatus().isBadRequest().expectHeader().contentTypeCompatibleWith(GRAPHQL_RESPONSE)
                .expectBody(JSON).value(body -> assertThat(body.toString()).contains("noSuchField"));
        web.get().uri("/graphql?query={query}", "{ noSuchField }").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk().expectHeader().contentType(MediaType.APPLICATION_JSON);
    }

    @Test
    void theSameAnswerAsAnotherTypeHasAnotherTag() {
        String json = web.get().uri("/graphql?query={query}", "{ stats { projects } }").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseHeaders().getETag();
        String graphQlResponse = web.get().uri("/graphql?query={query}", "{ stats { projects } }").accept(GRAPHQL_RESPONSE).exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseHeaders().getETag();
        assertThat(json).isNotNull();
        assertThat(graphQlResponse).isNotNull().isNotEqualTo(json);
    }

    @Test
    void anEmptyGetQueryIs400() {
        expectError(web.get().uri("/graphql?query=").exchange(), HttpStatus.BAD_REQUEST, "BAD_REQUEST", "needs a query parameter");
    }

    @Test
    void aGetParameterGivenTwiceIs400() {
        expectError(web.get().uri("/graphql?query={a}&query={b}", "{ __typename }", "{ stats { projects } }").exchange(),
                HttpStatus.BAD_REQUEST, "BAD_REQUEST", "The query parameter is given more than once");
    }

    @Test
    void aGetUrlOverTheServersLineLimitIs414NotA500() throws IOException {
        // Netty refuses a request line over server.netty.max-initial-line-length (4 KB) before the application sees it.
        String query = URLEncoder.encode("{ " + "__typename ".repeat(1000) + "}", StandardCharsets.UTF_8);
        String answer = raw("GET /graphql?query=" + query + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 414");
    }

    // --- headers ---

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        List<WebTestClient.ResponseSpec> apiAnswers = List.of(
                postJson("{\"query\": \"{ __typename }\"}").expectStatus().isOk(),
                postJson("[]").expectStatus().isBadRequest(),
                web.get().uri("/graphql?query={query}", "{ __typename }").exchange().expectStatus().isOk(),
                web.get().uri("/graphql").exchange().expectStatus().isBadRequest(),
                web.get().uri("/graphql/schema").exchange().expectStatus().isOk(),
                web.get().uri("/graphql/operations").exchange().expectStatus().isOk(),
                web.get().uri("/badge/boto3.svg").exchange().expectStatus().isOk(),
                web.get().uri("/badge/boto3.json").exchange().expectStatus().isOk(),
                web.get().uri("/actuator/health").exchange().expectStatus().isOk());
        for (WebTestClient.ResponseSpec answer : apiAnswers) {
            answer.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                    .expectHeader().valueEquals("Content-Security-Policy", API_POLICY);
        }
        // The pages keep their own policy (which lets them load their own scripts).
        for (String page : List.of("/", "/graphiql")) {
            web.get().uri(page).exchange().expectStatus().isOk()
                    .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                    .expectHeader().value("Content-Security-Policy", policy -> assertThat(policy)
                            .startsWith("default-src 'self'").contains("script-src 'self'").contains("frame-ancestors 'none'"));
        }
        web.get().uri("/no-such-page").exchange().expectStatus().isNotFound()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer");
    }

    @Test
    void headIsAnsweredWhereverGetIs() {
        String query = "/graphql?query=" + URLEncoder.encode("{ stats { projects } }", StandardCharsets.UTF_8);
        for (String path : List.of(query, "/graphql", "/graphql/operations", "/graphql/schema", "/", "/graphiql",
                "/badge/boto3.svg", "/badge/boto3.json", "/badge/no-such-project-anywhere.json")) {
            EntityExchangeResult<byte[]> get = web.get().uri(URI.create("http://localhost:" + port + path)).exchange()
                    .expectBody().returnResult();
            EntityExchangeResult<byte[]> head = web.head().uri(URI.create("http://localhost:" + port + path)).exchange()
                    .expectBody().returnResult();
            assertThat(head.getStatus()).as("HEAD %s", path).isEqualTo(get.getStatus());
            assertThat(head.getResponseBody()).as("HEAD %s", path).isNullOrEmpty();
            HttpHeaders getHeaders = get.getResponseHeaders();
            HttpHeaders headHeaders = head.getResponseHeaders();
            for (String header : List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH, HttpHeaders.ETAG, HttpHeaders.CACHE_CONTROL,
                    "Content-Security-Policy", "X-Content-Type-Options")) {
                assertThat(headHeaders.get(header)).as("%s of HEAD %s", header, path).isEqualTo(getHeaders.get(header));
            }
            assertThat(getHeaders.getContentLength()).as("Content-Length of GET %s", path).isEqualTo(get.getResponseBody().length);
        }
        // Actuator answered HEAD before; its figures (disk space) may change between two calls, its type does not.
        MediaType health = web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getContentType();
        web.head().uri("/actuator/health").exchange().expectStatus().isOk().expectHeader().contentType(health);
    }

    // --- a raw connection, for what a well-behaved client cannot send ---

    private String raw(String request) throws IOException {
        return raw(request, 60_000);
    }

    private String raw(String request, int readTimeoutMillis) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(readTimeoutMillis);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
