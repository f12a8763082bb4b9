package dev.pypianalytics.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
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
 * @param persistedQueries automatic persisted queries and the registered operations (allow-list mode)
 * @param httpCache     HTTP caching headers of {@code GET} answers
 * @param useAggregates let the planner answer from the aggregates (false: every planned query reads the raw
 *                      table; for measuring what the aggregates save, see BENCHMARKS.md)
 * @param requestBody   how much of a {@code POST /graphql} body the gateway reads, and for how long
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
        @Valid @NotNull @DefaultValue Cache cache,
        @Valid @NotNull @DefaultValue PersistedQueries persistedQueries,
        @Valid @NotNull @DefaultValue HttpCache httpCache,
        @DefaultValue("true") boolean useAggregates,
        @Valid @NotNull @DefaultValue RequestBody requestBody) {

    /**
     * @param enabled      whether to cache answers at all
     * @param maxEntries   answers kept (least recently used go first)
     * @param versionCheck how often the data's version is re-read (0 = on every request)
     * @param maxResponses whole answers kept (by operation and variables; 0 = none)
     */
    public record Cache(@DefaultValue("true") boolean enabled, @Min(1) @DefaultValue("10000") int maxEntries,
                        @NotNull @DefaultValue("5s") Duration versionCheck, @Min(0) @DefaultValue("1000") int maxResponses) {
    }

    /**
     * @param enabled           whether to limit at all
     * @param requestsPerMinute sustained requests per client and minute (bursts up to this many)
     * @param clientHeader      header naming the client (an API key); without it, the remote address
     */
    public record RateLimit(@DefaultValue("true") boolean enabled, @Min(1) @DefaultValue("600") int requestsPerMinute,
                            @DefaultValue("X-API-Key") String clientHeader) {
    }

    /**
     * Automatic persisted queries (APQ: a client sends the SHA-256 of a query instead of its text once the
     * gateway knows it) and registered operations.
     *
     * @param operations    where the registered operations are: one {@code .graphql} document per file,
     *                      its id the SHA-256 of the file's text
     * @param allowListOnly run registered operations only (sent by id or as their exact text); APQ
     *                      cannot add others
     * @param maxEntries    queries remembered for APQ and parsed documents kept (least recently used go first)
     */
    public record PersistedQueries(@NotNull @DefaultValue("classpath*:graphql/operations/*.graphql") String operations,
                                   @DefaultValue("false") boolean allowListOnly,
                                   @Min(1) @DefaultValue("10000") int maxEntries) {
    }

    /**
     * HTTP caching of GraphQL answers to {@code GET /graphql} (queries in the URL: what browsers, CDNs and
     * proxies can cache). Answers carry an {@code ETag} of the request and the data's version; a client
     * that sends it back in {@code If-None-Match} gets {@code 304 Not Modified} without the query running.
     *
     * @param maxAge how long a shared cache may serve an answer without asking again (0 = always ask)
     */
    public record HttpCache(@NotNull @DefaultValue("60s") Duration maxAge) {
    }

    /**
     * The body of a {@code POST /graphql}: read into memory (it is one JSON object), so it is bounded in size
     * and in time.
     *
     * @param maxSize largest body accepted; a larger one is answered {@code 413} naming this limit (without
     *                reading it when its {@code Content-Length} says so)
     * @param timeout longest the body may take to arrive once the headers have; a client that dribbles it, or
     *                promises more bytes than it sends, is answered {@code 408}
     */
    public record RequestBody(@NotNull @DefaultValue("100KB") DataSize maxSize, @NotNull @DefaultValue("10s") Duration timeout) {

        public RequestBody {
            if (maxSize != null && (maxSize.toBytes() < 1 || maxSize.toBytes() > Integer.MAX_VALUE - 8)) {
                throw new IllegalArgumentException("pypi.api.request-body.max-size must be between 1B and 2GB, not " + maxSize);
            }
            if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
                throw new IllegalArgumentException("pypi.api.request-body.timeout must be positive, not " + timeout);
            }
        }
    }
}
