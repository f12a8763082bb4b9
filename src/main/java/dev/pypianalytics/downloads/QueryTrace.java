package dev.pypianalytics.downloads;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The planner's decisions for one GraphQL request, collected when the client asks for them: per field,
 * the table that answered, and the rows ClickHouse read and its own time for that query. Carried in the
 * Reactor context.
 */
public final class QueryTrace {

    /**
     * One query of a field.
     *
     * @param shared the same statement was sent for another field of the request, and its answer reused here
     *               (the figures are that one query's: count them once)
     */
    public record Entry(String field, String table, long rowsRead, double clickHouseMilliseconds, boolean shared) {
    }

    private static final String FIELD = QueryTrace.class.getName() + ".field";

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    public void add(Entry entry) {
        entries.add(entry);
    }

    /** As the response's {@code extensions.queryPlan}. */
    public List<Map<String, Object>> toExtension() {
        return entries.stream().map(entry -> Map.<String, Object>of("field", entry.field(), "table", entry.table(),
                "rowsRead", entry.rowsRead(), "clickHouseMilliseconds", entry.clickHouseMilliseconds(), "shared", entry.shared())).toList();
    }

    /** A context naming the GraphQL field a query answers. */
    public static Context field(String path) {
        return Context.of(FIELD, path);
    }

    static String fieldOf(ContextView context) {
        return context.getOrDefault(FIELD, "");
    }
}
