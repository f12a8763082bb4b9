package dev.pypianalytics.api.protection;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Who reaches which management endpoint, on mock exchanges. */
class ManagementAccessTests {

    /** printf %s the-management-token | sha256sum */
    static final String TOKEN_SHA256 = "e8b10a9d406fbaf103e72aed6c8b34d99afa1dfc9c606f18c310c9666ddd8a8c";
    static final List<String> ENDPOINTS = List.of("/actuator/health", "/actuator/info", "/actuator/prometheus");

    static ManagementAccess access(String tokenSha256) {
        return new ManagementAccess(false, "/actuator", ENDPOINTS, "/actuator/health", tokenSha256);
    }

    /** The status the filter answered, or 200 when it let the request through. */
    static MockServerWebExchange send(ManagementAccess access, HttpMethod method, String path, String authorization) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.method(method, java.net.URI.create("http://localhost" + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        access.filter(exchange, passed -> {
            passed.getResponse().setStatusCode(HttpStatus.OK);
            return Mono.empty();
        }).block();
        return exchange;
    }

    static int status(ManagementAccess access, HttpMethod method, String path, String authorization) {
        return send(access, method, path, authorization).getResponse().getStatusCode().value();
    }

    @Test
    void anyoneMayAskForTheHealthStatus() {
        ManagementAccess access = access(TOKEN_SHA256);
        assertThat(status(access, HttpMethod.GET, "/actuator/health", null)).isEqualTo(200);
        assertThat(status(access, HttpMethod.HEAD, "/actuator/health", null)).isEqualTo(200);
        assertThat(status(access, HttpMethod.GET, "/graphql", null)).isEqualTo(200);
        assertThat(status(access, HttpMethod.GET, "/badge/requests.svg", null)).isEqualTo(200);
    }

    @Test
    void everythingElseUnderTheActuatorNeedsTheToken() {
        ManagementAccess access = access(TOKEN_SHA256);
        for (String path : List.of("/actuator/prometheus", "/actuator/health/details", "/actuator/health/clickHouse",
                "/actuator/health/liveness", "/actuator", "/actuator/", "/actuator/info", "/actuator/env",
                // Spelled so the router still finds the endpoint: decoded, matrix parameters, doubled slashes, case.
                "/actuator/%70rometheus", "/actuator;x=1/prometheus", "/actuator/prometheus;x=1", "//actuator//prometheus",
                "/Actuator/Prometheus")) {
            MockServerWebExchange refused = send(access, HttpMethod.GET, path, null);
            assertThat(refused.getResponse().getStatusCode().value()).as(path).isEqualTo(401);
            assertThat(refused.getResponse().getHeaders().getFirst("WWW-Authenticate")).as(path).isEqualTo("Bearer realm=\"management\"");
            assertThat(refused.getResponse().getBodyAsString().block()).as(path).contains("\"status\":401");
        }
        for (HttpMethod method : List.of(HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.POST, HttpMethod.DELETE)) {
            assertThat(status(access, method, "/actuator/prometheus", null)).as(method.name()).isEqualTo(401);
        }
        // Only the bare status is public: not other methods on it.
        assertThat(status(access, HttpMethod.OPTIONS, "/actuator/health", null)).isEqualTo(401);
        assertThat(status(access, HttpMethod.POST, "/actuator/health", null)).isEqualTo(401);
    }

    @Test
    void theTokenOpensThemAndNothingElseDoes() {
        ManagementAccess access = access(TOKEN_SHA256);
        assertThat(status(access, HttpMethod.GET, "/actuator/prometheus", "Bearer the-management-token")).isEqualTo(200);
        assertThat(status(access, HttpMethod.GET, "/actuator/health/details", "bearer the-management-token")).isEqualTo(200);
        assertThat(status(access, HttpMethod.HEAD, "/actuator/prometheus", "Bearer the-management-token")).isEqualTo(200);
        for (String wrong : List.of("Bearer the-management-tokeN", "Bearer the-management-token-", "Bearer " + TOKEN_SHA256,
                "Basic dGhlLW1hbmFnZW1lbnQtdG9rZW4=", "the-management-token", "Bearer ", "Bearer")) {
            MockServerWebExchange refused = send(access, HttpMethod.GET, "/actuator/prometheus", wrong);
            assertThat(refused.getResponse().getStatusCode().value()).as(wrong).isEqualTo(401);
        }
        assertThat(send(access, HttpMethod.GET, "/actuator/prometheus", "Bearer wrong").getResponse().getHeaders().getFirst("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"management\", error=\"invalid_token\"");
    }

    @Test
    void withoutATokenTheyAreNotServedOnThePublicPort() {
        ManagementAccess access = access(null);
        assertThat(status(access, HttpMethod.GET, "/actuator/health", null)).isEqualTo(200);
        MockServerWebExchange refused = send(access, HttpMethod.GET, "/actuator/prometheus", "Bearer anything");
        assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(refused.getResponse().getBodyAsString().block()).contains("\"status\":404").doesNotContain("prometheus");
        assertThat(status(access, HttpMethod.GET, "/actuator/health/details", null)).isEqualTo(404);
    }

    @Test
    void onASeparateManagementPortTheFilterStepsAside() {
        // The public port has no actuator then; the management port is reachable only where the operator binds it.
        ManagementAccess access = new ManagementAccess(true, "/actuator", ENDPOINTS, "/actuator/health", TOKEN_SHA256);
        assertThat(status(access, HttpMethod.GET, "/actuator/prometheus", null)).isEqualTo(200);
        assertThat(status(access, HttpMethod.GET, "/actuator/health/details", null)).isEqualTo(200);
    }

    @Test
    void endpointsAtTheRootAreGuardedByTheirOwnPaths() {
        ManagementAccess access = new ManagementAccess(false, "", List.of("/health", "/prometheus"), "/health", TOKEN_SHA256);
        assertThat(status(access, HttpMethod.GET, "/prometheus", null)).isEqualTo(401);
        assertThat(status(access, HttpMethod.GET, "/health", null)).isEqualTo(200);
        assertThat(status(access, HttpMethod.GET, "/health/details", null)).isEqualTo(401);
        assertThat(status(access, HttpMethod.GET, "/graphql", null)).isEqualTo(200);
    }
}
