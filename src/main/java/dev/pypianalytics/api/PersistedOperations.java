package dev.pypianalytics.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pypianalytics.config.ApiProperties;
import graphql.ExecutionInput;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.execution.preparsed.persisted.PersistedQuerySupport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Registered operations, automatic persisted queries (APQ) and a cache of parsed documents, as
 * graphql-java's {@link PreparsedDocumentProvider}.
 *
 * <ul>
 *   <li><b>Registered operations</b>: the {@code .graphql} files under {@code pypi.api.persisted-queries.operations}
 *       (by default {@code graphql/operations/}), each one document, its id the SHA-256 (hex) of the file's
 *       text. Listed with ids at {@code GET /graphql/operations} (Apollo's persisted query manifest).</li>
 *   <li><b>APQ</b> (Apollo's protocol): a request with {@code extensions.persistedQuery = {version: 1,
 *       sha256Hash}} and no query runs the known document with that hash, or answers
 *       {@code PersistedQueryNotFound}; the client then sends hash and text once, the text is checked against
 *       the hash and remembered.</li>
 *   <li><b>Allow-list mode</b> ({@code allow-list-only}): only registered operations run, by id or by their
 *       exact text; APQ registers nothing new.</li>
 *   <li>Every valid document is parsed and validated once and kept (least recently used go first), so a
 *       repeated query skips both.</li>
 * </ul>
 */
@Component
public class PersistedOperations implements PreparsedDocumentProvider {

    /** A registered operation. */
    public record Operation(String name, String sha256, String document) {
    }

    private static final Logger log = LoggerFactory.getLogger(PersistedOperations.class);

    /** A parsed and validated document's memory, roughly: a fixed part and tens of bytes per character of its text. */
    private static final int PARSED_OVERHEAD = 1024;
    private static final int PARSED_BYTES_PER_CHARACTER = 40;

    private final Map<String, Operation> registered;
    private final boolean allowListOnly;
    private final Cache<String, String> remembered;
    private final Cache<String, Parsed> parsed;

    /** A parsed and validated document, with the length of its text (what its memory grows with). */
    private record Parsed(PreparsedDocumentEntry entry, int characters) {
    }
    private final Counter apqHits;
    private final Counter apqMisses;

    public PersistedOperations(ApiProperties properties, ResourcePatternResolver resources, MeterRegistry meters) throws IOException {
        ApiProperties.PersistedQueries settings = properties.persistedQueries();
        this.allowListOnly = settings.allowListOnly();
        this.registered = load(resources, settings.operations());
        // Both bounded by the memory their documents take (a parsed document takes several times its text);
        // evictions happen on the writing thread, so the bound holds at once (writes are rare next to reads).
        this.remembered = Caffeine.newBuilder().maximumWeight(settings.maxBytes().toBytes()).executor(Runnable::run)
                .weigher((String hash, String query) -> 128 + 2 * query.length()).recordStats().build();
        this.parsed = Caffeine.newBuilder().maximumWeight(settings.maxBytes().toBytes()).executor(Runnable::run)
                .weigher((String hash, Parsed document) -> PARSED_OVERHEAD + PARSED_BYTES_PER_CHARACTER * document.characters())
                .recordStats().build();
        CaffeineCacheMetrics.monitor(meters, remembered, "persisted-queries");
        CaffeineCacheMetrics.monitor(meters, parsed, "documents");
        this.apqHits = meters.counter("pypi.persisted.queries", "result", "hit");
        this.apqMisses = meters.counter("pypi.persisted.queries", "result", "miss");
        log.info("{} registered GraphQL operations{}", registered.size(), allowListOnly ? "; allow-list mode: only these run" : "");
    }

    /** The registered operations, by name. */
    public List<Operation> registered() {
        return registered.values().stream().sorted(java.util.Comparator.comparing(Operation::name)).toList();
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                                                                      Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        return CompletableFuture.completedFuture(document(input, parseAndValidate));
    }

    private PreparsedDocumentEntry document(ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String query = input.getQuery();
        boolean textSent = query != null && !query.isBlank() && !query.equals(PersistedQuerySupport.PERSISTED_QUERY_MARKER);
        String hash = persistedQueryHash(input);
        if (hash != null && !hash.matches("[0-9a-f]{64}")) {
            return error("extensions.persistedQuery must be {version: 1, sha256Hash: <the query's SHA-256 as 64 hex digits>}.",
                    "BAD_REQUEST");
        }
        if (hash == null && !textSent) {
            return error("The request has no query.", "BAD_REQUEST");
        }
        if (textSent) {
            String actual = sha256(query);
            if (hash != null && !hash.equals(actual)) {
                return error("The query's SHA-256 is " + actual + ", not the persistedQuery.sha256Hash sent with it.",
                        "PERSISTED_QUERY_HASH_MISMATCH");
            }
            if (allowListOnly && !registered.containsKey(actual)) {
                return error("This gateway runs registered operations only; this query is not one of them "
                        + "(see GET /graphql/operations).", "OPERATION_NOT_REGISTERED");
            }
            if (hash != null && !registered.containsKey(actual)) {
                remembered.put(actual, query);
            }
            return parsed(actual, input, parseAndValidate);
        }
        String known = known(hash);
        if (known == null) {
            apqMisses.increment();
            // Apollo clients look for this message, then send the query with its hash.
            return error("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND");
        }
        apqHits.increment();
        return parsed(hash, input.transform(builder -> builder.query(known)), parseAndValidate);
    }

    private String known(String hash) {
        Operation operation = registered.get(hash);
        if (operation != null) {
            return operation.document();
        }
        if (allowListOnly) {
            return null;
        }
        return remembered.getIfPresent(hash);
    }

    /** Parses and validates once per document; documents with errors are not kept. */
    private PreparsedDocumentEntry parsed(String hash, ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        Parsed known = parsed.getIfPresent(hash);
        if (known != null) {
            return known.entry();
        }
        PreparsedDocumentEntry entry = parseAndValidate.apply(input);
        if (!entry.hasErrors()) {
            parsed.put(hash, new Parsed(entry, input.getQuery().length()));
        }
        return entry;
    }

    /** The lower-case {@code sha256Hash} of a version 1 {@code persistedQuery} extension; "" when malformed; null when absent. */
    private static String persistedQueryHash(ExecutionInput input) {
        Object persisted = input.getExtensions() == null ? null : input.getExtensions().get("persistedQuery");
        if (persisted == null) {
            return null;
        }
        if (persisted instanceof Map<?, ?> map && map.get("sha256Hash") instanceof String hash
                && (map.get("version") == null || map.get("version") instanceof Number version && version.intValue() == 1)) {
            return hash.toLowerCase(java.util.Locale.ROOT);
        }
        return "";
    }

    private static PreparsedDocumentEntry error(String message, String code) {
        GraphQLError error = GraphqlErrorBuilder.newError()
                .message(message)
                .errorType(ErrorType.BAD_REQUEST)
                .extensions(Map.of("code", code))
                .build();
        return new PreparsedDocumentEntry(error);
    }

    private static Map<String, Operation> load(ResourcePatternResolver resources, String pattern) throws IOException {
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (Resource resource : resources.getResources(pattern)) {
            String document = resource.getContentAsString(StandardCharsets.UTF_8);
            String name = resource.getFilename() == null ? "operation" : resource.getFilename().replaceFirst("\\.graphql$", "");
            Operation operation = new Operation(name, sha256(document), document);
            operations.put(operation.sha256(), operation);
        }
        return Collections.unmodifiableMap(operations);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
