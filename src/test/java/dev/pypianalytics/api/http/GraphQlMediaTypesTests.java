package dev.pypianalytics.api.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphQlMediaTypesTests {

    private static final String JSON = "application/json";
    private static final String GRAPHQL_RESPONSE = "application/graphql-response+json";

    @ParameterizedTest(name = "Accept: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            */*                                                          | application/json
            application/*                                                | application/json
            application/json                                             | application/json
            application/json; charset=utf-8                              | application/json
            application/graphql-response+json                            | application/graphql-response+json
            application/graphql-response+json, application/json;q=0.9   | application/graphql-response+json
            application/json;q=0.5, application/graphql-response+json   | application/graphql-response+json
            application/json, application/graphql-response+json         | application/json
            text/html, application/xhtml+xml, */*;q=0.8                  | application/json
            text/event-stream, application/graphql-response+json;q=0.1  | application/graphql-response+json
            """)
    void theAnswerTakesTheSupportedTypeTheClientRanksHighest(String accept, String expected) {
        assertThat(GraphQlMediaTypes.responseType(List.of(accept))).isEqualTo(MediaType.parseMediaType(expected));
    }

    @Test
    void noAcceptMeansJson() {
        assertThat(GraphQlMediaTypes.responseType(List.of())).isEqualTo(MediaType.APPLICATION_JSON);
    }

    @ParameterizedTest(name = "Accept: {0}")
    @ValueSource(strings = {"application/xml", "text/event-stream", "text/html", "application/json;q=0", "image/*"})
    void anAcceptThatAllowsNeitherTypeIsNotAcceptable(String accept) {
        assertThatThrownBy(() -> GraphQlMediaTypes.responseType(List.of(accept)))
                .isInstanceOfSatisfying(RequestRejected.class, rejected -> {
                    assertThat(rejected.status()).isEqualTo(HttpStatus.NOT_ACCEPTABLE);
                    assertThat(rejected.classification()).isEqualTo("NOT_ACCEPTABLE");
                })
                .hasMessageContaining(GRAPHQL_RESPONSE + " or " + JSON).hasMessageContaining(accept);
    }

    @Test
    void anUnreadableAcceptIsNotAcceptable() {
        assertThatThrownBy(() -> GraphQlMediaTypes.responseType(List.of(";;;")))
                .isInstanceOfSatisfying(RequestRejected.class, rejected -> assertThat(rejected.status()).isEqualTo(HttpStatus.NOT_ACCEPTABLE))
                .hasMessageContaining("The Accept header could not be read");
        assertThat(GraphQlMediaTypes.responseTypeOrJson(List.of(";;;"))).isEqualTo(MediaType.APPLICATION_JSON);
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
            "application/json; charset=\"utf-8\"", "APPLICATION/JSON"})
    void jsonInUtf8IsAccepted(String contentType) {
        assertThatNoException().isThrownBy(() -> GraphQlMediaTypes.requireJsonBody(contentType));
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            NONE                                   | The request has no Content-Type; send Content-Type: application/json
            ' '                                    | The request has no Content-Type; send Content-Type: application/json
            application/graphql                    | Content-Type application/graphql is not accepted: send the document inside JSON
            text/plain                             | Content-Type text/plain is not accepted; send Content-Type: application/json
            application/x-www-form-urlencoded      | Content-Type application/x-www-form-urlencoded is not accepted
            multipart/form-data; boundary=abc      | Content-Type multipart/form-data is not accepted
            application/vnd.api+json               | Content-Type application/vnd.api+json is not accepted
            application/json; charset=iso-8859-1   | Request bodies are read as UTF-8 (as JSON must be)
            application/json; charset=utf-16       | not charset=utf-16
            ???                                    | The Content-Type header could not be read
            """)
    void anythingElseIsAnUnsupportedMediaTypeListingWhatIsAccepted(String contentType, String message) {
        assertThatThrownBy(() -> GraphQlMediaTypes.requireJsonBody(contentType))
                .isInstanceOfSatisfying(RequestRejected.class, rejected -> {
                    assertThat(rejected.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
                    assertThat(rejected.responseHeaders().getAccept()).containsExactly(MediaType.APPLICATION_JSON);
                })
                .hasMessageContaining(message);
    }

    @Test
    void onlyUncompressedBodiesAreRead() {
        assertThatNoException().isThrownBy(() -> GraphQlMediaTypes.requireUncompressed(List.of()));
        assertThatNoException().isThrownBy(() -> GraphQlMediaTypes.requireUncompressed(List.of("identity")));
        for (String coding : List.of("gzip", "identity, br", "deflate")) {
            assertThatThrownBy(() -> GraphQlMediaTypes.requireUncompressed(List.of(coding)))
                    .isInstanceOfSatisfying(RequestRejected.class, rejected -> {
                        assertThat(rejected.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
                        assertThat(rejected.responseHeaders().getFirst("Accept-Encoding")).isEqualTo("identity");
                    })
                    .hasMessageContaining("send the body uncompressed");
        }
    }

    @Test
    void aLongHeaderIsQuotedBackShortened() {
        String accept = "text/x-" + "a".repeat(500);
        assertThatThrownBy(() -> GraphQlMediaTypes.responseType(List.of(accept)))
                .isInstanceOf(RequestRejected.class)
                .satisfies(rejected -> assertThat(rejected.getMessage()).hasSizeLessThan(400).contains("text/x-aaaa"));
    }
}
