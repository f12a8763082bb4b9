package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.QueryKiller;
import graphql.ExecutionInput;
import graphql.ExecutionResultImpl;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.graphql.support.DefaultGraphQlRequest;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Request ids: the client's while no unfinished request has it, made unique when one does (ClickHouse refuses a running query id). */
class RequestLogTests {

    private final RequestLog requestLog = new RequestLog(new QueryKiller(null));

    private static WebGraphQlRequest request(String id) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(RequestLog.HEADER, id);
        return new WebGraphQlRequest(URI.create("http://localhost/graphql"), headers, null, null, Map.of(),
                new DefaultGraphQlRequest("{ stats { totalDownloads } }"), id, Locale.ROOT);
    }

    private static WebGraphQlResponse answer() {
        ExecutionInput input = ExecutionInput.newExecutionInput("{ stats { totalDownloads } }").build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(input, ExecutionResultImpl.newExecutionResult().data(Map.of()).build()));
    }

    @Test
    void aClientIdInUseByAnUnfinishedRequestGetsASuffixAndIsFreeAgainAfterwards() {
        Sinks.One<WebGraphQlResponse> first = Sinks.one();
        Sinks.One<WebGraphQlResponse> second = Sinks.one();
        Mono<WebGraphQlResponse> a = requestLog.intercept(request("abc-1"), next -> first.asMono()).cache();
        Mono<WebGraphQlResponse> b = requestLog.intercept(request("abc-1"), next -> second.asMono()).cache();
        a.subscribe();
        b.subscribe();
        first.tryEmitValue(answer());
        second.tryEmitValue(answer());

        String firstId = a.block(Duration.ofSeconds(5)).getResponseHeaders().getFirst(RequestLog.HEADER);
        String secondId = b.block(Duration.ofSeconds(5)).getResponseHeaders().getFirst(RequestLog.HEADER);
        assertThat(firstId).isEqualTo("abc-1");
        assertThat(secondId).matches("abc-1\\.[0-9a-f]{6}");

        // both finished: the id is free again
        String again = requestLog.intercept(request("abc-1"), next -> Mono.just(answer())).block(Duration.ofSeconds(5))
                .getResponseHeaders().getFirst(RequestLog.HEADER);
        assertThat(again).isEqualTo("abc-1");
    }

    @Test
    void anIdThatIsNotAPlainTokenIsReplaced() {
        String id = requestLog.intercept(request("not a token; drop table"), next -> Mono.just(answer())).block(Duration.ofSeconds(5))
                .getResponseHeaders().getFirst(RequestLog.HEADER);
        assertThat(id).matches("[0-9a-f-]{36}");
    }
}
