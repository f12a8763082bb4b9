package dev.pypianalytics.support;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration suite: the whole application on a random port, on the real ClickHouse chosen
 * by {@link TestWarehouse} (embedded by default), with demo data. Every subclass shares one context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(ClickHouseBackendCondition.class)
public abstract class IntegrationTest {

    @DynamicPropertySource
    static void warehouse(DynamicPropertyRegistry registry) {
        TestWarehouse.register(registry);
    }
}
