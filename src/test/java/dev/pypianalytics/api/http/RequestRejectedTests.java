package dev.pypianalytics.api.http;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestRejectedTests {

    @Test
    void aRejectionIsAGraphQlResponseWithOneClassifiedError() {
        assertThat(RequestRejected.badRequest("Say what to fix.").body()).isEqualTo(
                Map.of("errors", List.of(Map.of("message", "Say what to fix.", "extensions", Map.of("classification", "BAD_REQUEST")))));
        assertThat(new RequestRejected(HttpStatus.CONTENT_TOO_LARGE, "Too big.").body()).isEqualTo(
                Map.of("errors", List.of(Map.of("message", "Too big.", "extensions", Map.of("classification", "CONTENT_TOO_LARGE")))));
    }

    @Test
    void theLimitIsNamedInTheUnitsItIsConfiguredIn() {
        assertThat(GraphQlOverPost.limit(102_400)).isEqualTo("100 KB = 102400 bytes");
        assertThat(GraphQlOverPost.limit(2 * 1024 * 1024)).isEqualTo("2 MB = 2097152 bytes");
        assertThat(GraphQlOverPost.limit(1000)).isEqualTo("1000 bytes");
    }
}
