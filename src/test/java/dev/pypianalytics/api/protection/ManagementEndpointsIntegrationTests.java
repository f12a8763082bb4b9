package dev.pypianalytics.api.protection;

import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the public port: the health status for anyone, everything else of the actuator only with the
 * management token (the suite's, see TestWarehouse).
 */
class ManagementEndpointsIntegrationTests extends IntegrationTest {

    @Test
    void anyoneGetsTheHealthStatusAndNothingMore() {
        String body = web.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Map<String, Object> health = web.get().uri("/actuator/health").exchange()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(health).containsEntry("status", "UP");
        // At most the names of the health groups besides the status: no components, no details.
        assertThat(health.keySet()).isSubsetOf("status", "groups");
        // No engine endpoint, port, pid, data directory, log or disk path.
        assertThat(body).doesNotContain("127.0.0.1", "localhost", "pid", "dataDir", "path", "/", "endpoint", "version");
        web.head().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void healthDetailsNeedTheToken() {
        for (String path : List.of("/actuator/health/details", "/actuator/health/clickHouse", "/actuator/health/dataFreshness",
                "/actuator/health/diskSpace")) {
            web.get().uri(path).exchange().expectStatus().isUnauthorized()
                    .expectBody(String.class).value(body -> assertThat(body).doesNotContain("127.0.0.1", "pid", "dataDir"));
        }
        management.get().uri("/actuator/health/details").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.clickHouse.details.version").isNotEmpty()
                .jsonPath("$.components.dataFreshness.details.lastDay").isNotEmpty();
    }

    @Test
    void metricsAndTheRestOfTheActuatorNeedTheToken() {
        for (String path : List.of("/actuator/prometheus", "/actuator", "/actuator/info", "/actuator/health/liveness",
                "/actuator/%70rometheus", "/actuator;a=b/prometheus", "/actuator/prometheus;a=b")) {
            for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS)) {
                web.method(method).uri(URI.create("http://localhost:" + port + path)).exchange()
                        .expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED)
                        .expectHeader().valueEquals("WWW-Authenticate", "Bearer realm=\"management\"");
            }
        }
        web.get().uri("/actuator/prometheus").header("Authorization", "Bearer " + "not-the-token").exchange()
                .expectStatus().isUnauthorized();
        management.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(metrics -> assertThat(metrics).contains("jvm_memory_used_bytes"));
        // Spelled differently, the router finds the same endpoint: so does the token check.
        management.get().uri(URI.create("http://localhost:" + port + "/actuator/%70rometheus")).exchange()
                .expectStatus().isOk();
    }
}
