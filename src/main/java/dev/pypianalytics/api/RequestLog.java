package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.QueryKiller;
import dev.pypianalytics.clickhouse.RequestStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every GraphQL request an id (the client's {@code X-Request-Id} when it is a plain token, else a
 * new one), returns it in the {@code X-Request-Id} response header, sends it to ClickHouse as the query
 * id of the request's queries ({@code <id>-1}, {@code <id>-2}, ...: see {@link RequestStatements}) and writes
 * one key=value log line per request: id, operation, outcome, errors, milliseconds. A client id that an
 * unfinished request already carries gets a random suffix ({@code <id>.<hex>}), since ClickHouse refuses a
 * query id that is running; the response header says which id the request got. A request whose client
 * goes away is cancelled: its statements still running in ClickHouse are stopped.
 */
@Component
@org.springframework.core.annotation.Order(-100)
class RequestLog implements WebGraphQlInterceptor {

    static final String HEADER = "X-Request-Id";

    private static final Logger log = LoggerFactory.getLogger(RequestLog.class);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final QueryKiller killer;

    RequestLog(QueryKiller killer) {
        this.killer = killer;
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        String given = request.getHeaders().getFirst(HEADER);
        String wanted = given != null && TOKEN.matcher(given).matches() ? given : UUID.randomUUID().toString();
        String id = inFlight.add(wanted) ? wanted : unique(wanted);
        long started = System.nanoTime();
        String operation = request.getOperationName() != null ? request.getOperationName() : "-";
        RequestStatements statements = RequestStatements.forRequest(id, running -> killer.kill(running).subscribe());
        return chain.next(request)
                .doOnNext(response -> {
                    response.getResponseHeaders().set(HEADER, id);
                    log.info("graphql request id={} operation={} outcome={} errors={} ms={}", id, operation,
                            response.isValid() && response.getErrors().isEmpty() ? "ok" : "error", response.getErrors().size(),
                            String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e6));
                })
                .doOnCancel(() -> {
                    statements.cancel();
                    log.info("graphql request id={} operation={} outcome=cancelled ms={}", id, operation,
                            String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e6));
                })
                .contextWrite(statements.context())
                .doFinally(signal -> inFlight.remove(id));
    }

    private String unique(String wanted) {
        String id;
        do {
            id = wanted + "." + HexFormat.of().toHexDigits((int) ThreadLocalRandom.current().nextLong()).substring(2);
        } while (!inFlight.add(id));
        return id;
    }
}
