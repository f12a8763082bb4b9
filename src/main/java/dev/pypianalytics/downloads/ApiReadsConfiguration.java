package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ApiReads;
import dev.pypianalytics.clickhouse.HttpClickHouse;
import dev.pypianalytics.config.ApiProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's port ({@link ApiReads}): the read-only user's HTTP port ({@code apiHttpClickHouse} in
 * {@code clickhouse.ClickHouseConfiguration}) under the result cache ({@link CachingClickHouse}), keyed by
 * the data's version. Here rather than beside the HTTP port because the cache needs {@link DataVersion}.
 */
@Configuration(proxyBeanMethods = false)
class ApiReadsConfiguration {

    @Bean
    @ApiReads
    CachingClickHouse apiClickHouse(HttpClickHouse http, DataVersion version, ApiProperties properties, MeterRegistry meters) {
        return new CachingClickHouse(http, version.version(), properties.cache(), meters);
    }
}
