package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseHttp;
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

    private QueryProgress() {
    }

    /**
     * @param fraction share of the work done, from the status or from what we know ourselves (bytes sent)
     * @return the response body
     */
    static String run(ClickHouse clickHouse, ClickHouseHttp http, ClickHouseHttp.Statement statement, String stage,
                      Progress progress, ToDoubleFunction<Status> fraction) {
        String queryId = "pypi-gateway-" + UUID.randomUUID();
        long started = System.nanoTime();
        Thread watcher = Thread.ofVirtual().name("progress-" + queryId).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(500);
                    Status status = clickHouse.queryOne(Sql.of("""
                                    SELECT read_rows, written_rows, total_rows_approx FROM system.processes
                                    WHERE query_id = :id""").bind("id", queryId).withTimeout(Duration.ofSeconds(5)),
                            row -> new Status(row.getLong("read_rows"), row.getLong("written_rows"),
                                    row.getLong("total_rows_approx"))).block();
                    if (status != null) {
                        progress.rows(stage, Math.max(status.readRows(), status.writtenRows()), -1,
                                fraction.applyAsDouble(status), Stage.elapsedSince(started));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // Progress is a courtesy: a failed look-up must not disturb the load itself.
                }
            }
        });
        try {
            return http.run(statement.queryId(queryId));
        } finally {
            watcher.interrupt();
        }
    }
}
