package dev.pypianalytics.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Limits protecting the warehouse from what clients ask.
 *
 * @param maxDepth      deepest nesting of fields a query may have
 * @param maxComplexity largest cost a query may have: one per field, a series costs its buckets (days in
 *                      its range / bucket size) times its series, lists multiply their items' cost
 * @param maxRowsToRead most rows one API query may read in ClickHouse ({@code max_rows_to_read})
 * @param maxResultRows most rows one API query may return ({@code max_result_rows})
 * @param requestTimeout longest a GraphQL request may take before it is answered with a TIMEOUT error
 * @param rateLimit     per-client request rate
 * @param cache         the result cache of planned queries
 */
@Validated
@ConfigurationProperties("pypi.api")
public record ApiProperties(
        @Min(2) @DefaultValue("15") int maxDepth,
        @Min(10) @DefaultValue("5000") int maxComplexity,
        @Min(1) @DefaultValue("10000000000") long maxRowsToRead,
        @Min(1) @DefaultValue("1000000") long maxResultRows,
        @NotNull @DefaultValue("30s") Duration requestTimeout,
        @Valid @NotNull @DefaultValue RateLimit rateLimit,
        @Valid @NotNull @DefaultValue Cache cache) {

    /**
     * @param enabled           whether to limit at all
     * @param requestsPerMinute sustained requests per client and minute (bursts up to this many)
     * @param clientHeader      header naming the client (an API key); without it, the remote address
     */
    /**
     * @param enabled      whether to cache answers at all
     * @param maxEntries   answers kept (least recently used go first)
     * @param versionCheck how often the data's version is re-read (0 = on every request)
     */
    public record Cache(@DefaultValue("true") boolean enabled, @Min(1) @DefaultValue("10000") int maxEntries,
                        @NotNull @DefaultValue("5s") Duration versionCheck) {
    }

    public record RateLimit(@DefaultValue("true") boolean enabled, @Min(1) @DefaultValue("600") int requestsPerMinute,
                            @DefaultValue("X-API-Key") String clientHeader) {
    }
}
