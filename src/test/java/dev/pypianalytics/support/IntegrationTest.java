package dev.pypianalytics.support;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

/**
 * Base of the integration suite: the whole application on a random port, on the real ClickHouse chosen
 * by {@link TestWarehouse} (embedded by default), with demo data. Every subclass shares one context
 * and gets clients of the running server: {@link #web} (its root) and {@link #graphQl} ({@code /graphql}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(ClickHouseBackendCondition.class)
public abstract class IntegrationTest {

    @DynamicPropertySource
    static void warehouse(DynamicPropertyRegistry registry) {
        TestWarehouse.register(registry);
    }

    @LocalServerPort
    protected int port;

    /** The running gateway over HTTP (60 s: a first question may warm the engine's caches). */
    protected WebTestClient web;

    /** Its GraphQL endpoint. */
    protected HttpGraphQlTester graphQl;

    /** The running gateway with the management token ({@link TestWarehouse#MANAGEMENT_TOKEN}): health details, metrics. */
    protected WebTestClient management;

    @BeforeEach
    void connect() {
        web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build();
        graphQl = HttpGraphQlTester.create(web.mutate().baseUrl("http://localhost:" + port + "/graphql").build());
        management = web.mutate().defaultHeader("Authorization", "Bearer " + TestWarehouse.MANAGEMENT_TOKEN).build();
    }
}
