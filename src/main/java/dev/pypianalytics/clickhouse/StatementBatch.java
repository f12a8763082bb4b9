package dev.pypianalytics.clickhouse;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements one request asks at once (the fields of a package page, dispatched together), sent as one
 * {@code UNION ALL} statement: ClickHouse's cost per statement (its HTTP exchange, parsing, planning, the query
 * log) is paid once for the lot, and so is the gateway's. Statements join the batch for {@link #WINDOW} after the
 * first; those with other settings or another timeout go in a batch of their own. Each statement keeps its own
 * parameters (renamed apart), its rows (each row as JSON text, numbered in the statement's order) and its columns.
 * When the union fails for any reason, each statement is sent alone, so a failure is its own statement's, with
 * its own code.
 */
final class StatementBatch {

    /** How long statements of the same request may join a batch after its first. */
    static final Duration WINDOW = Duration.ofMillis(1);

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*):");
    private static final Scheduler FLUSHER = Schedulers.parallel();

    /** A statement waiting for its batch, and who waits for its rows. */
    private record Pending(Sql sql, MonoSink<HttpClickHouse.Answer> answer) {
    }

    /** What statements may share one union: the same settings and the same limit. */
    private record Group(Map<String, Object> settings, Duration timeout) {
    }

    private final Function<Sql, Mono<HttpClickHouse.Answer>> alone;
    private final Function<Sql, Mono<List<ResultRow>>> together;
    private List<Pending> pending = new ArrayList<>();

    /**
     * @param alone    sends one statement
     * @param together sends a union of this class's making, answering its rows (columns q and r)
     */
    StatementBatch(Function<Sql, Mono<HttpClickHouse.Answer>> alone, Function<Sql, Mono<List<ResultRow>>> together) {
        this.alone = alone;
        this.together = together;
    }

    /** The statement's answer, once its batch has been sent. */
    Mono<HttpClickHouse.Answer> add(Sql sql) {
        return Mono.create(sink -> {
            boolean first;
            synchronized (this) {
                first = pending.isEmpty();
                pending.add(new Pending(sql, sink));
            }
            if (first) {
                FLUSHER.schedule(this::flush, WINDOW.toNanos(), TimeUnit.NANOSECONDS);
            }
        });
    }

    private void flush() {
        List<Pending> batch;
        synchronized (this) {
            batch = pending;
            pending = new ArrayList<>();
        }
        Map<Group, List<Pending>> groups = new LinkedHashMap<>();
        batch.forEach(p -> groups.computeIfAbsent(new Group(p.sql().settings(), p.sql().timeout()), g -> new ArrayList<>()).add(p));
        groups.values().forEach(this::send);
    }

    private void send(List<Pending> group) {
        if (group.size() == 1) {
            sendAlone(group.getFirst());
            return;
        }
        together.apply(union(group.stream().map(Pending::sql).toList()))
                .subscribe(rows -> answer(group, rows), failed -> group.forEach(this::sendAlone));
    }

    private void sendAlone(Pending pending) {
        alone.apply(pending.sql()).subscribe(pending.answer()::success, pending.answer()::error);
    }

    private static void answer(List<Pending> group, List<ResultRow> rows) {
        List<List<String>> texts = new ArrayList<>();
        group.forEach(p -> texts.add(new ArrayList<>()));
        for (ResultRow row : rows) {
            texts.get((int) row.getLong("q")).add(row.getString("r"));
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).answer().success(new HttpClickHouse.Answer(HttpClickHouse.rowsOf(texts.get(i)),
                    new QueryStatistics(null, 0, 0, 0, false)));
        }
    }

    /**
     * One statement answering all of them: statement i's rows as {@code (q = i, n = its position, r = the row as
     * JSON)}, ordered by q and n, so each keeps its own order. Parameters are renamed {@code s<i>_<name>}.
     */
    static Sql union(List<Sql> statements) {
        StringBuilder text = new StringBuilder("SELECT q, r FROM (");
        Map<String, Object> bindings = new LinkedHashMap<>();
        for (int i = 0; i < statements.size(); i++) {
            Sql sql = statements.get(i);
            String prefix = "s" + i + "_";
            Matcher placeholders = PLACEHOLDER.matcher(sql.text());
            String renamed = placeholders.replaceAll(match -> Matcher.quoteReplacement("{" + prefix + match.group(1) + ":"));
            sql.bindings().forEach((name, value) -> bindings.put(prefix + name, value));
            text.append(i == 0 ? "" : " UNION ALL ").append("SELECT toUInt32(").append(i)
                    .append(") AS q, rowNumberInAllBlocks() AS n, formatRowNoNewline('JSONEachRow', *) AS r FROM (").append(renamed).append(")");
        }
        text.append(") ORDER BY q, n");
        Sql first = statements.getFirst();
        Sql union = new Sql(text.toString(), bindings, first.settings(), first.timeout());
        return Objects.requireNonNull(union.checkedParameters());
    }
}
