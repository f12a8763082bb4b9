package dev.pypianalytics.clickhouse;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The ClickHouse statements of one API request, carried in the Reactor context:
 * <ul>
 *   <li>their query ids: the request's id followed by a sequence number ({@code <request id>-1}, {@code -2},
 *       ...), so an operator with a request id from a log line or a client's {@code X-Request-Id} finds its
 *       queries in {@code system.query_log} and {@code system.processes};</li>
 *   <li>identical statements sent once ({@link #once});</li>
 *   <li>cancellation: when the request times out or its client goes away, {@link #cancel} stops every
 *       statement still running (the ports abort their HTTP requests; the listener given at creation kills
 *       the issued query ids in the engine) and refuses new ones.</li>
 * </ul>
 */
public final class RequestStatements {

    private static final String KEY = RequestStatements.class.getName();

    private final String requestId;
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private final Map<Object, Mono<?>> sent = new ConcurrentHashMap<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Sinks.One<Boolean> cancellation = Sinks.one();
    private final Consumer<List<String>> onCancel;

    private RequestStatements(String requestId, Consumer<List<String>> onCancel) {
        this.requestId = requestId;
        this.onCancel = onCancel;
    }

    /**
     * The statements of a new request.
     *
     * @param requestId a token of letters, digits, - and _
     * @param onCancel  told the query ids issued so far when the request is cancelled (to kill them in the engine)
     */
    public static RequestStatements forRequest(String requestId, Consumer<List<String>> onCancel) {
        return new RequestStatements(requestId, onCancel);
    }

    /** A context carrying these statements. */
    public Context context() {
        return Context.of(KEY, this);
    }

    /**
     * For reads shared by all requests and cached (the data's version, the catalog, the name index): run
     * outside any request, so one request's cancellation cannot fail them for the others, and they are not
     * counted as that request's statements.
     */
    public static Context detached(Context context) {
        return context.delete(KEY);
    }

    /** The request's statements in {@code context}, if it belongs to one. */
    public static Optional<RequestStatements> of(ContextView context) {
        return context.getOrEmpty(KEY);
    }

    public String requestId() {
        return requestId;
    }

    /** The query id of the request's next statement. */
    String nextQueryId() {
        String id = requestId + "-" + sequence.incrementAndGet();
        issued.add(id);
        return id;
    }

    private StatementBatch batch;

    /** The batch the request's statements join (created once). */
    synchronized StatementBatch batch(java.util.function.Supplier<StatementBatch> create) {
        if (batch == null) {
            batch = create.get();
        }
        return batch;
    }

    /** Query ids issued so far. */
    public List<String> issued() {
        return List.copyOf(issued);
    }

    /**
     * The result of {@code statement}, run once for this request however often it is asked for (by
     * different fields asking the same question): later callers share the first one's result.
     */
    @SuppressWarnings("unchecked")
    <T> Mono<T> once(Object statement, Supplier<Mono<T>> run) {
        return (Mono<T>) sent.computeIfAbsent(statement, key -> run.get().cache());
    }

    /** Stops the request's statements; only the first call does anything. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            cancellation.tryEmitValue(Boolean.TRUE);
            onCancel.accept(issued());
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Emits when the request is cancelled. */
    Mono<Boolean> whenCancelled() {
        return cancellation.asMono();
    }
}
