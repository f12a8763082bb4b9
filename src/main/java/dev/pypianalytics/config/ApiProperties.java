package dev.pypianalytics.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * Limits protecting the warehouse from what clients ask.
 *
 * @param maxDepth      deepest nesting of fields a query may have
 * @param maxComplexity largest cost a request may have: one per field, a series costs its buckets (days in
 *                      its range, within the data's span, / bucket size) times its series / 10, a ClickHouse
 *                      statement 10, lists multiply their items' cost; the whole document is costed before
 *                      anything runs
 * @param maxStatements most ClickHouse statements one request may send (counted before it runs: one per
 *                      distinct question, however many projects ask it)
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
 * @param admission     how many uncached requests run against the warehouse at once, and how many may wait
 * @param referenceCache what every page asks whatever its filters, kept for the current version of the data
 */
@Validated
@ConfigurationProperties("pypi.api")
public record ApiProperties(
        @Min(2) @DefaultValue("15") int maxDepth,
        @Min(10) @DefaultValue("5000") int maxComplexity,
        @Min(1) @DefaultValue("40") int maxStatements,
        @Min(1) @DefaultValue("10000000000") long maxRowsToRead,
        @Min(1) @DefaultValue("1000000") long maxResultRows,
        @NotNull @DefaultValue("30s") Duration requestTimeout,
        @Valid @NotNull @DefaultValue RateLimit rateLimit,
        @Valid @NotNull @DefaultValue Cache cache,
        @Valid @NotNull @DefaultValue PersistedQueries persistedQueries,
        @Valid @NotNull @DefaultValue HttpCache httpCache,
        @DefaultValue("true") boolean useAggregates,
        @Valid @NotNull @DefaultValue RequestBody requestBody,
        @Valid @NotNull @DefaultValue Admission admission,
        @Valid @NotNull @DefaultValue ReferenceCache referenceCache) {

    /**
     * Reference data: the answers to the questions a package page asks whatever its filters (a project's
     * releases and metadata, its first and last days, the downloads of every project that its ranking is
     * counted among), kept for the current version of the data like the statement cache, but on whenever
     * this is, even with {@code pypi.api.cache.enabled=false}: a dashboard changing filters asks them again
     * and again, and their answers cannot change until the data does.
     *
     * @param enabled  whether to keep them
     * @param maxBytes memory for them (rows of the statements, and the rankings' downloads: 8 bytes a project)
     */
    public record ReferenceCache(@DefaultValue("true") boolean enabled, @NotNull @DefaultValue("32MB") DataSize maxBytes) {
    }

    /**
     * Two caches for the current version of the data, each bounded by the memory its entries take.
     *
     * @param enabled          whether to cache answers at all
     * @param maxBytes         memory for statements' rows (0 = none)
     * @param versionCheck     how often the data's version is re-read (0 = on every request)
     * @param maxResponseBytes memory for whole answers, by operation and variables (0 = none)
     */
    public record Cache(@DefaultValue("true") boolean enabled, @NotNull @DefaultValue("64MB") DataSize maxBytes,
                        @NotNull @DefaultValue("5s") Duration versionCheck, @NotNull @DefaultValue("32MB") DataSize maxResponseBytes) {
    }

    /**
     * Per-client request rates on {@code /graphql} (every method and path below it) and {@code /badge/}. A
     * client is a configured API key, else its address: a key that is not configured is not a client of its
     * own, or sending a new one every time would escape the limit.
     *
     * @param enabled           whether to limit at all
     * @param requestsPerMinute sustained requests per address and minute (bursts up to this many)
     * @param clientHeader      header carrying an API key
     * @param keys              the API keys, each with its own limit
     * @param trustedProxies    addresses or CIDR ranges of the reverse proxies in front of the gateway; only a
     *                          request from one of them has its client taken from {@code X-Forwarded-For}
     *                          (else anyone could name any address there)
     * @param ipv6PrefixLength  IPv6 clients are counted by network of this prefix length: one host usually
     *                          holds a whole /64 and could otherwise take a new address for every request
     * @param maxClients        clients whose buckets are kept (memory stays bounded whatever the traffic; a
     *                          bucket idle for a minute is full again and is dropped anyway)
     */
    public record RateLimit(@DefaultValue("true") boolean enabled,
                            @Min(1) @DefaultValue("600") int requestsPerMinute,
                            @NotBlank @DefaultValue("X-API-Key") String clientHeader,
                            @NotNull @DefaultValue List<@Valid ApiKey> keys,
                            @NotNull @DefaultValue List<@NotBlank String> trustedProxies,
                            @Min(1) @Max(128) @DefaultValue("64") int ipv6PrefixLength,
                            @Min(1) @DefaultValue("100000") int maxClients) {

        /** The constructor the properties bind to. */
        @ConstructorBinding
        public RateLimit {
        }

        /** Default keys (none), proxies (none) and sizes. */
        public RateLimit(boolean enabled, int requestsPerMinute, String clientHeader) {
            this(enabled, requestsPerMinute, clientHeader, List.of(), List.of(), 64, 100_000);
        }
    }

    /**
     * An API key given to a client, stored as its hash so the configuration does not hold it.
     *
     * @param name              who holds it (for the operator; not shown to clients)
     * @param sha256            the SHA-256 of the key, 64 hex digits ({@code printf %s "$KEY" | sha256sum})
     * @param requestsPerMinute its sustained requests per minute (bursts up to this many), shared by every
     *                          request carrying it, from any address
     */
    public record ApiKey(@NotBlank String name,
                         @NotNull @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be the SHA-256 of the key as 64 hex digits") String sha256,
                         @Min(1) int requestsPerMinute) {
    }

    /**
     * Automatic persisted queries (APQ: a client sends the SHA-256 of a query instead of its text once the
     * gateway knows it) and registered operations.
     *
     * @param operations    where the registered operations are: one {@code .graphql} document per file,
     *                      its id the SHA-256 of the file's text
     * @param allowListOnly run registered operations only (sent by id or as their exact text); APQ
     *                      cannot add others
     * @param maxBytes      memory for queries remembered for APQ and for parsed documents (each; least
     *                      recently used go first)
     */
    public record PersistedQueries(@NotNull @DefaultValue("classpath*:graphql/operations/*.graphql") String operations,
                                   @DefaultValue("false") boolean allowListOnly,
                                   @NotNull @DefaultValue("16MB") DataSize maxBytes) {
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

    /**
     * Admission of GraphQL requests that are not answered from the whole-answer cache: at most
     * {@code maxConcurrent} run at once, at most {@code maxQueued} more wait for one of them to finish, each for
     * at most {@code maxWait}; any other is answered at once {@code 503} + {@code Retry-After} (classification
     * {@code BUSY}) instead of queueing inside the engine, so the requests admitted keep their latency when more
     * clients arrive than the engine can serve.
     *
     * @param maxConcurrent requests running at once (0 = no bound)
     * @param maxQueued     requests waiting for a running one to finish
     * @param maxWait       longest a request waits; past it, it is refused like one that found the queue full
     * @param retryAfter    what a refused client is told to wait ({@code Retry-After}, whole seconds, at least 1)
     */
    public record Admission(@Min(0) @DefaultValue("8") int maxConcurrent,
                            @Min(0) @DefaultValue("8") int maxQueued,
                            @NotNull @DefaultValue("1s") Duration maxWait,
                            @NotNull @DefaultValue("1s") Duration retryAfter) {

        public Admission {
            if (maxWait != null && (maxWait.isZero() || maxWait.isNegative())) {
                throw new IllegalArgumentException("pypi.api.admission.max-wait must be positive, not " + maxWait);
            }
            if (retryAfter != null && retryAfter.toSeconds() < 1) {
                throw new IllegalArgumentException("pypi.api.admission.retry-after must be at least 1s, not " + retryAfter);
            }
        }
    }
}
