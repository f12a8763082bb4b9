package dev.pypianalytics.downloads;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The planner's decisions for one GraphQL request, collected when the client asks for them: per field,
 * the table that answered, and the rows ClickHouse read and its own time for that query. Carried in the
 * Reactor context.
 */
public final class QueryTrace {

    /** One query. */
    public record Entry(String field, String table, long rowsRead, double clickHouseMilliseconds) {
    }

    private static final String FIELD = QueryTrace.class.getName() + ".field";

    /** Reactor context key of the GraphQL request's id. */
    public static final String REQUEST_ID = QueryTrace.class.getName() + ".requestId";

    /** The request id as a ClickHouse {@code log_comment} value (letters, digits, underscores), or empty. */
    static Optional<String> logComment(ContextView context) {
        return context.<String>getOrEmpty(REQUEST_ID).map(id -> "gateway_request_" + id.replaceAll("[^A-Za-z0-9_]", "_"));
    }

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    public void add(Entry entry) {
        entries.add(entry);
    }

    /** As the response's {@code extensions.queryPlan}. */
    public List<Map<String, Object>> toExtension() {
        return entries.stream().map(entry -> Map.<String, Object>of("field", entry.field(), "table", entry.table(),
                "rowsRead", entry.rowsRead(), "clickHouseMilliseconds", entry.clickHouseMilliseconds())).toList();
    }

    /** A context naming the GraphQL field a query answers. */
    public static Context field(String path) {
        return Context.of(FIELD, path);
    }

    static String fieldOf(ContextView context) {
        return context.getOrDefault(FIELD, "");
    }
}
