package dev.pypianalytics.downloads;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The planner's decisions for one GraphQL request, collected when the client asks for them: per field,
 * the table that answered, the rows ClickHouse estimates it reads for that query ({@code EXPLAIN
 * ESTIMATE}) and the query's round trip as the gateway measured it. Carried in the Reactor context.
 */
public final class QueryTrace {

    /** One query. */
    public record Entry(String field, String table, long rowsToRead, long millis) {
    }

    private static final String FIELD = QueryTrace.class.getName() + ".field";

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    public void add(Entry entry) {
        entries.add(entry);
    }

    /** As the response's {@code extensions.queryPlan}. */
    public List<Map<String, Object>> toExtension() {
        return entries.stream().map(entry -> Map.<String, Object>of("field", entry.field(), "table", entry.table(),
                "rowsToRead", entry.rowsToRead(), "milliseconds", entry.millis())).toList();
    }

    /** A context naming the GraphQL field a query answers. */
    public static Context field(String path) {
        return Context.of(FIELD, path);
    }

    static String fieldOf(ContextView context) {
        return context.getOrDefault(FIELD, "");
    }
}
