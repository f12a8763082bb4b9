package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.Body;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;

import java.time.Duration;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

/**
 * Runs one long statement with its own query id while a second thread follows it in
 * {@code system.processes} (rows read and written, the server's own estimate of the total) and reports
 * progress twice a second.
 */
final class QueryProgress {

    /** What the server says about a running statement. */
    record Status(long readRows, long writtenRows, long totalRowsApprox) {

        double fraction() {
            return totalRowsApprox > 0 ? Math.min(1.0, (double) readRows / totalRowsApprox) : -1;
        }
    }

    /** The long statement each loading thread is running now, by its query id: what {@link Ingest#cancel} stops. */
    private static final java.util.Map<Thread, String> RUNNING = new java.util.concurrent.ConcurrentHashMap<>();

    private QueryProgress() {
    }

    /** The query id of the statement {@code thread} runs through this class now, if any. */
    static java.util.Optional<String> runningOn(Thread thread) {
        return java.util.Optional.ofNullable(RUNNING.get(thread));
    }

    /**
     * @param body     the data the statement reads from {@code input()}, or {@code null}
     * @param total    rows the statement reads in all when known (the views' own reads are not counted), or -1
     * @param fraction share of the work done when known otherwise (bytes sent), or -1
     */
    static void run(ClickHouse clickHouse, Sql statement, Body body, String stage, Progress progress, long total,
                    ToDoubleFunction<Status> fraction) {
        String queryId = "pypi-gateway-" + UUID.randomUUID();
        long started = System.nanoTime();
        Thread watcher = Thread.ofVirtual().name("progress-" + queryId).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(500);
                    Status status = clickHouse.queryOne(Sql.of("""
                                    SELECT read_rows, written_rows, total_rows_approx FROM system.processes
                                    WHERE query_id = {id:String}""").bind("id", queryId).withTimeout(Duration.ofSeconds(5)),
                            row -> new Status(row.getLong("read_rows"), row.getLong("written_rows"),
                                    row.getLong("total_rows_approx"))).block();
                    if (status != null) {
                        // system.processes also counts what the materialized views read and write.
                        long rows = total > 0 ? Math.min(total, status.readRows()) : status.readRows();
                        progress.rows(stage, rows, total, fraction.applyAsDouble(status), Stage.elapsedSince(started));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // Progress is a courtesy: a failed look-up must not disturb the load itself.
                }
            }
        });
        Thread caller = Thread.currentThread();
        RUNNING.put(caller, queryId);
        try {
            clickHouse.loadAndWait(statement, queryId, body);
        } finally {
            RUNNING.remove(caller, queryId);
            watcher.interrupt();
        }
    }
}
