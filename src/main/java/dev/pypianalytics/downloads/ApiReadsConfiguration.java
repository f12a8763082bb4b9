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
 * the data's version; and the port of the reference data ({@link ReferenceReads}). Here rather than beside the
 * HTTP port because the caches need {@link DataVersion}.
 */
@Configuration(proxyBeanMethods = false)
class ApiReadsConfiguration {

    @Bean
    @ApiReads
    CachingClickHouse apiClickHouse(HttpClickHouse http, DataVersion version, ApiProperties properties, MeterRegistry meters) {
        return new CachingClickHouse(http, version.version(), properties.cache(), meters);
    }

    /** The reference data's port: the same user and limits, its own cache, on even when the result cache is off. */
    @Bean
    @ReferenceReads
    CachingClickHouse referenceClickHouse(HttpClickHouse http, DataVersion version, ApiProperties properties, MeterRegistry meters) {
        ApiProperties.ReferenceCache reference = properties.referenceCache();
        return new CachingClickHouse(http, version.version(), reference.enabled(), reference.maxBytes(), "reference", meters);
    }
}
