package dev.pypianalytics.clickhouse.embedded;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the child process that hosts the embedded ClickHouse engine (chDB's clickhouse-local)
 * and serves the real ClickHouse HTTP interface on a loopback port.
 *
 * <p>Runs without Spring: the gateway starts it as {@code <java> ... engine-host --library=... --path=...
 * --http-port=...}. The parent keeps our standard input open for as long as it wants us alive; when it
 * closes (the parent stopped, crashed or was killed with SIGKILL) we stop the engine ourselves, so no
 * orphan keeps the port or the data directory.
 *
 * <p>How the process ends matters: {@code System.exit} and even {@code Runtime.halt} end in libc's
 * {@code exit}, which runs the engine library's {@code atexit} handlers and static destructors while
 * its background threads still run: the process then died with SIGSEGV inside the library (in 7 and 8
 * of 10 stops with inserts running, now and then without).
 * So the engine is stopped by cancelling its serving query, which shuts ClickHouse down properly
 * (system logs flushed, tables closed), and the process then ends with libc's {@code _exit}, which
 * runs no handlers.
 */
public final class EngineHost {

    /** First argument of the jar's main that selects this entry point. */
    public static final String COMMAND = "engine-host";

    /** Printed on stdout once the library is loaded and the server is about to listen. */
    static final String READY_LINE = "engine-host: listening";

    /** Exit code when the library cannot be loaded. */
    static final int EXIT_LIBRARY = 3;

    /** Exit code when the engine's query returned an error (port in use, bad data dir, ...). */
    static final int EXIT_ENGINE = 4;

    /** Query id of the serving query; cancelling it stops the engine cleanly. */
    static final String SERVE_QUERY_ID = "pypi-gateway-engine-serve";

    /** The statement that cancels the serving query, and so stops the engine cleanly. */
    static final String STOP_STATEMENT = "KILL QUERY WHERE query_id = '" + SERVE_QUERY_ID + "' ASYNC";

    /** How long the engine may take to shut down after its parent went away before the process just ends. */
    static final Duration ORPHAN_STOP_GRACE = Duration.ofSeconds(10);

    /** The blocking query that keeps clickhouse-local (and so its HTTP server) alive. */
    static final String SERVE_QUERY = "SYSTEM START LISTEN HTTP; "
            + "SELECT sleepEachRow(3) FROM numbers(1000000000) "
            + "SETTINGS max_block_size = 1, max_execution_time = 0, function_sleep_max_microseconds_per_block = 0 "
            + "FORMAT Null";

    /** The subset of chDB's C API we need. */
    public interface ChDb extends Library {
        void chdb_set_signal_handlers_enabled(int enabled);

        Pointer chdb_query_cmdline(int argc, String[] argv);

        String chdb_result_error(Pointer result);
    }

    /** libc's {@code _exit}: ends the process without exit handlers or destructors. */
    interface LibC extends Library {
        void _exit(int status);
    }

    private static LibC libc;

    private EngineHost() {
    }

    public static void main(String[] args) {
        Map<String, String> options = parse(args);
        String library = require(options, "library");
        String path = require(options, "path");
        String port = require(options, "http-port");
        String host = options.getOrDefault("listen-host", "127.0.0.1");
        PrintStream out = System.out;

        libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
        watchParent(System.in, URI.create("http://" + host + ":" + port + "/"));

        ChDb chdb;
        try {
            chdb = Native.load(library, ChDb.class);
        } catch (UnsatisfiedLinkError e) {
            System.err.println("engine-host: cannot load ClickHouse engine library " + library + ": " + e.getMessage());
            exit(EXIT_LIBRARY);
            return;
        }
        // Must come before anything else: ClickHouse's own SIGSEGV handler would otherwise catch the
        // signals the JVM uses internally (safepoints, implicit null checks) and abort the process.
        chdb.chdb_set_signal_handlers_enabled(0);

        List<String> argv = new ArrayList<>();
        argv.add("clickhouse");
        argv.add("--path=" + path);
        argv.add("--http_port=" + port);
        argv.add("--listen_host=" + host);
        if (options.containsKey("config-file")) {
            // Its users_config names the users file (the API's read-only user besides default).
            argv.add("--config-file=" + options.get("config-file"));
        }
        argv.add("--query_id=" + SERVE_QUERY_ID);
        argv.add("--query=" + SERVE_QUERY);
        out.println(READY_LINE + " " + host + ":" + port);
        out.flush();

        // Returns once the serving query ends: cancelled (a requested stop) or failed. Either way
        // ClickHouse has shut down by then.
        Pointer result = chdb.chdb_query_cmdline(argv.size(), argv.toArray(String[]::new));
        String error = result == null ? "engine returned no result" : chdb.chdb_result_error(result);
        // QUERY_WAS_CANCELLED is how a requested stop ends: the serving query was killed.
        if (error != null && !error.isBlank() && !error.contains("QUERY_WAS_CANCELLED")) {
            System.err.println("engine-host: ClickHouse stopped: " + error.strip());
            exit(EXIT_ENGINE);
        }
        out.println("engine-host: stopped");
        exit(0);
    }

    /** Ends the process at once, without running the engine library's exit handlers (see the class comment). */
    static void exit(int code) {
        System.out.flush();
        System.err.flush();
        libc._exit(code);
    }

    /**
     * Once the parent closes our stdin (it stopped or died), stops the engine the clean way (cancels
     * the serving query, which makes {@link #main} return and exit) and ends the process anyway if
     * that takes longer than {@link #ORPHAN_STOP_GRACE}.
     */
    private static void watchParent(InputStream in, URI engine) {
        Thread watcher = new Thread(() -> {
            try {
                byte[] buffer = new byte[64];
                while (in.read(buffer) >= 0) {
                    // The parent never writes; anything it did write is ignored.
                }
            } catch (IOException ignored) {
                // A broken pipe means the same as end of input.
            }
            if (requestStop(engine)) {
                try {
                    Thread.sleep(ORPHAN_STOP_GRACE);
                } catch (InterruptedException ignored) {
                    // Exit now.
                }
                System.err.println("engine-host: the engine did not stop within " + ORPHAN_STOP_GRACE + " of its parent going away");
            }
            exit(0);
        }, "engine-host-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * Asks the engine to flush its system logs and cancel its serving query; false if it does not
     * listen (yet).
     */
    private static boolean requestStop(URI engine) {
        EngineHttp.post(engine, "SYSTEM FLUSH LOGS", Duration.ofSeconds(10));
        return EngineHttp.post(engine, STOP_STATEMENT, Duration.ofSeconds(5)).isPresent();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("engine-host: unexpected argument " + arg);
            }
            int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("engine-host: missing --" + name + "=...");
        }
        return value;
    }
}
