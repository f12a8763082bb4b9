package dev.pypianalytics.clickhouse.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * Owns the child process that hosts the embedded ClickHouse engine ({@link EngineHost}): picks the
 * port, starts the child, waits for {@code /ping}, restarts it if it dies on its own (backing off, for
 * as long as it takes), and stops it on close. The child also stops by itself when this process goes
 * away (it watches its stdin), so even a SIGKILL of the gateway leaves no orphan behind.
 *
 * <p>The child runs in the data directory, so whatever the JVM writes when it crashes
 * ({@code hs_err_pid*.log}) lands next to the engine's log instead of wherever the gateway was started.
 */
public final class EmbeddedEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedEngine.class);

    static final String LOOPBACK = "127.0.0.1";
    static final String LOG_FILE = "engine-host.log";
    private static final String LOCK_FILE = "gateway.lock";
    /** Where a running gateway says where its engine listens, so the command-line tools can use it too. */
    private static final String URL_FILE = "engine.url";
    /** Past this size the engine log is moved to {@code engine-host.log.1} at the next start of the engine. */
    static final long LOG_ROTATE_BYTES = 10L * 1024 * 1024;
    /** How many of the host JVM's crash reports ({@code hs_err_pid*.log}) are kept in the data directory. */
    static final int CRASH_REPORTS_KEPT = 5;
    /** How long ClickHouse may take to shut down once its serving query is cancelled. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(15);

    /**
     * Lifecycle of the engine as the health check reports it. {@code DATA_DIR_REMOVED}: the process runs but
     * its data directory was removed under it (reads fail, writes go nowhere useful, and the directory lock
     * no longer keeps a second gateway out).
     */
    public enum Status { NEW, STARTING, RUNNING, RESTARTING, FAILED, STOPPED, DATA_DIR_REMOVED }

    /**
     * A snapshot for health and logs.
     *
     * @param status      where the lifecycle is
     * @param pid         child process id, or -1
     * @param port        HTTP port on 127.0.0.1
     * @param dataDir     ClickHouse data directory
     * @param restarts       how often a restart of the child was attempted after it died on its own
     * @param lastFailure    what went wrong last, or {@code null}
     * @param failedRestarts restart attempts that failed since the engine last ran (0 while it runs)
     * @param restartDelay   while {@link Status#RESTARTING}: the wait before the next attempt; else {@code null}
     */
    public record State(Status status, long pid, int port, Path dataDir, int restarts, String lastFailure,
                        int failedRestarts, Duration restartDelay) {
    }

    private final Path library;
    private final Path dataDir;
    private final int configuredPort;
    private final Duration startupTimeout;
    private final Duration stopTimeout;
    private final RestartBackoff restartBackoff;
    private final List<String> hostCommand;
    private final EngineConfig config;
    private Path configFile;

    private volatile Process process;
    private volatile int port;
    private volatile Status status = Status.NEW;
    private volatile int restarts;
    private volatile int failedRestarts;
    /** Restart attempts since the engine last ran for a while: a crash loop keeps backing off. */
    private int restartStreak;
    private volatile long runningSince;
    private volatile Duration restartDelay;
    private volatile String lastFailure;
    private volatile boolean stopping;
    private volatile boolean dataDirRemovalReported;
    private FileChannel lockChannel;
    private FileLock lock;

    /**
     * @param startupTimeout how long to wait for {@code /ping} after starting the child
     * @param stopTimeout    how long a stop waits for running queries (an ingestion) before it stops the engine anyway
     * @param restartBackoff the waits between attempts to restart a child that died
     * @param hostCommand    how to start a JVM running {@link EngineHost#main} (see {@link #hostCommandForThisJvm})
     * @param config         its configuration (query log, the read-only API user besides {@code default}), or
     *                       {@code null} for clickhouse-local's built-in {@code default} user only
     */
    public EmbeddedEngine(Path library, Path dataDir, int port, Duration startupTimeout, Duration stopTimeout,
                          RestartBackoff restartBackoff, List<String> hostCommand, EngineConfig config) {
        this.config = config;
        this.library = library;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.configuredPort = port;
        this.startupTimeout = startupTimeout;
        this.stopTimeout = stopTimeout;
        this.restartBackoff = restartBackoff;
        this.hostCommand = List.copyOf(hostCommand);
    }

    /** Starts the engine and returns once it answers {@code /ping}. */
    public synchronized EmbeddedEngine start() {
        if (status != Status.NEW) {
            throw new IllegalStateException("engine already " + status);
        }
        status = Status.STARTING;
        try {
            prepareDataDir();
        } catch (RuntimeException e) {
            status = Status.FAILED;
            releaseLock();
            throw e;
        }
        try {
            port = configuredPort != 0 ? requireFreePort(configuredPort) : freePort();
            try {
                launchAndAwait();
            } catch (EmbeddedEngineException e) {
                if (configuredPort != 0 || e.reason() != EmbeddedEngineException.Reason.PORT_UNAVAILABLE) {
                    throw e;
                }
                // Someone took the free port between our probe and the child's bind: try once more.
                port = freePort();
                launchAndAwait();
            }
        } catch (RuntimeException e) {
            status = Status.FAILED;
            releaseLock();
            throw e;
        }
        status = Status.RUNNING;
        runningSince = System.nanoTime();
        writeUrlFile();
        log.info("Embedded ClickHouse is running: http://{}:{} (data directory {}, engine pid {}, log {})",
                LOOPBACK, port, dataDir, process.pid(), dataDir.resolve(LOG_FILE));
        return this;
    }

    /** The read-only API user declared besides {@code default}, or {@code null}. */
    public EngineConfig config() {
        return config;
    }

    public URI url() {
        return URI.create("http://" + LOOPBACK + ":" + port);
    }

    public State state() {
        Process current = process;
        Status now = status;
        String failure = lastFailure;
        if (now == Status.RUNNING && !Files.exists(dataDir.resolve(LOCK_FILE))) {
            // Our lock file is the one thing in there nobody else writes: without it the directory was removed.
            now = Status.DATA_DIR_REMOVED;
            failure = "The data directory " + dataDir + " was removed while the engine runs. Restore it, or restart "
                    + "the gateway to start over with an empty warehouse.";
            if (!dataDirRemovalReported) {
                dataDirRemovalReported = true;
                log.error("{}", failure);
            }
        }
        return new State(now, current != null && current.isAlive() ? current.pid() : -1, port, dataDir, restarts, failure,
                failedRestarts, now == Status.RESTARTING ? restartDelay : null);
    }

    /** Whether the engine answers {@code /ping} right now. */
    public boolean ping() {
        return EngineHttp.ping(url(), Duration.ofSeconds(2));
    }

    /**
     * Stops the engine cleanly: waits up to the stop timeout for running queries (so an ingestion in
     * progress is not cut in the middle), flushes the system logs, then cancels the serving query, on
     * which ClickHouse shuts down and the child exits. Only a child that does not exit in time is killed.
     */
    @Override
    public void close() {
        // Set before taking the lock: a restart in progress sees it and gives up instead of making us wait.
        stopping = true;
        synchronized (this) {
            notifyAll();   // wakes a restart waiting out its backoff
            stop();
        }
    }

    private void stop() {
        Process current = process;
        if (current != null && current.isAlive()) {
            log.info("Stopping embedded ClickHouse (pid {})", current.pid());
            awaitRunningQueries();
            // What ClickHouse holds in memory (the query log is written every few seconds) goes to disk
            // now: with clients still connected, it ends the process without its own shutdown (see EngineHttp).
            statement("SYSTEM FLUSH ASYNC INSERT QUEUE", Duration.ofSeconds(10));
            statement("SYSTEM FLUSH LOGS", Duration.ofSeconds(10));
            if (statement(EngineHost.STOP_STATEMENT, Duration.ofSeconds(5)).isEmpty()) {
                // Not answering: closing its stdin makes the host end by itself.
                closeQuietly(current.getOutputStream());
            }
            awaitExit(current, EXIT_GRACE);
            log.info("Embedded ClickHouse stopped (pid {}, exit code {})", current.pid(),
                    current.isAlive() ? "unknown" : current.exitValue());
        }
        if (current != null) {
            closeQuietly(current.getOutputStream());
        }
        status = Status.STOPPED;
        try {
            Files.deleteIfExists(dataDir.resolve(URL_FILE));
        } catch (IOException e) {
            log.debug("Cannot remove {}: {}", dataDir.resolve(URL_FILE), e.getMessage());
        }
        releaseLock();
    }

    /** Waits until no query but the serving one runs, at most the stop timeout. */
    private void awaitRunningQueries() {
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        long running = runningQueries();
        if (running > 0) {
            log.info("Waiting up to {} for {} running queries before stopping embedded ClickHouse", stopTimeout, running);
        }
        while (running > 0 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
            running = runningQueries();
        }
        if (running > 0) {
            log.warn("Stopping embedded ClickHouse with {} queries still running after {}: they are cancelled, and an "
                    + "INSERT among them may be partly written (raise pypi.embedded.stop-timeout)", running, stopTimeout);
        }
    }

    private long runningQueries() {
        return statement("SELECT count() FROM system.processes WHERE query_id NOT IN ('" + EngineHost.SERVE_QUERY_ID
                + "', queryID())", Duration.ofSeconds(5))
                .map(body -> {
                    try {
                        return Long.parseLong(body.strip());
                    } catch (NumberFormatException e) {
                        return 0L;
                    }
                })
                .orElse(0L);
    }

    /** Runs one statement as the administrative user; its answer, or empty if the engine did not take it. */
    private Optional<String> statement(String sql, Duration timeout) {
        Optional<String> answer = EngineHttp.post(url(), sql, timeout);
        if (answer.isEmpty()) {
            log.debug("Embedded ClickHouse did not take: {}", sql);
        }
        return answer;
    }

    /**
     * The URL of the engine another gateway runs on this data directory, if one does and answers: the
     * command-line tools then work through it instead of failing on the directory lock.
     */
    public static Optional<URI> runningOn(Path dataDir) {
        Path lockFile = dataDir.resolve(LOCK_FILE);
        Path urlFile = dataDir.resolve(URL_FILE);
        if (!Files.exists(lockFile) || !Files.exists(urlFile)) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
        } catch (OverlappingFileLockException e) {
            // Held inside this JVM: that engine is running.
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            URI url = URI.create(Files.readString(urlFile, StandardCharsets.UTF_8).strip());
            return EngineHttp.ping(url, Duration.ofSeconds(2)) ? Optional.of(url) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void awaitExit(Process child, Duration grace) {
        try {
            if (!child.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Embedded ClickHouse (pid {}) did not stop within {}; killing it", child.pid(), grace);
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void launchAndAwait() {
        Path logFile = dataDir.resolve(LOG_FILE);
        keepLogsBounded(logFile);
        long logStart = sizeOf(logFile);
        List<String> command = new ArrayList<>(hostCommand);
        command.add("--library=" + library.toAbsolutePath());
        command.add("--path=" + dataDir + "/");
        command.add("--http-port=" + port);
        command.add("--listen-host=" + LOOPBACK);
        if (configFile != null) {
            command.add("--config-file=" + configFile);
        }
        Process child;
        try {
            Files.writeString(logFile, "---- " + Instant.now() + " starting engine on port " + port + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            child = new ProcessBuilder(command)
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    // stdin stays a pipe we never write to: its end-of-file tells the child we are gone.
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.START_FAILED,
                    "Cannot start the embedded ClickHouse host process (" + command.getFirst() + "): " + e.getMessage(), e);
        }
        process = child;
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stopping) {
                child.destroyForcibly();
                throw new EmbeddedEngineException(EmbeddedEngineException.Reason.START_FAILED,
                        "The embedded ClickHouse was stopped while starting.");
            }
            if (!child.isAlive()) {
                String tail = logTail(logFile, logStart);
                EmbeddedEngineException.Reason reason = tail.contains("Address already in use")
                        ? EmbeddedEngineException.Reason.PORT_UNAVAILABLE
                        : tail.contains("Cannot lock file") || tail.contains("Permission denied") || tail.contains("Read-only file system")
                        ? EmbeddedEngineException.Reason.DATA_DIR_UNUSABLE
                        : EmbeddedEngineException.Reason.START_FAILED;
                throw new EmbeddedEngineException(reason, "The embedded ClickHouse exited during start-up (exit code "
                        + child.exitValue() + ", port " + port + ", data directory " + dataDir + "). Last lines of "
                        + logFile + ":\n" + tail);
            }
            if (ping()) {
                child.onExit().thenAccept(this::onChildExit);
                return;
            }
            sleep(Duration.ofMillis(100));
        }
        child.destroyForcibly();
        throw new EmbeddedEngineException(EmbeddedEngineException.Reason.START_FAILED,
                "The embedded ClickHouse did not answer /ping on port " + port + " within " + startupTimeout
                        + " (raise pypi.embedded.startup-timeout on a slow machine). Last lines of " + logFile + ":\n"
                        + logTail(logFile, logStart));
    }

    /** The child ended: expected while stopping, otherwise log it, report DOWN and restart it. */
    private void onChildExit(Process child) {
        if (stopping || child != process) {
            return;
        }
        lastFailure = "engine process " + child.pid() + " exited unexpectedly with code " + child.exitValue();
        failedRestarts = 0;
        restartDelay = null;
        status = Status.RESTARTING;
        synchronized (this) {
            if (System.nanoTime() - runningSince >= restartBackoff.max().toNanos()) {
                restartStreak = 0;   // it ran a good while: this is a new failure, not the next round of a crash loop
            }
        }
        log.error("Embedded ClickHouse died: {}. Last lines of its log:\n{}", lastFailure, logTail(dataDir.resolve(LOG_FILE), -1));
        Thread.ofPlatform().daemon().name("embedded-clickhouse-restart").start(this::restartUntilRunning);
    }

    /**
     * Restarts on the same port (clients keep their URL) until the engine runs again or we are stopped,
     * waiting longer after each failed attempt (see {@link RestartBackoff}). An engine that dies again
     * soon after a restart continues the series instead of starting it over.
     */
    private void restartUntilRunning() {
        for (int attempt = 1; ; attempt++) {
            Duration delay;
            synchronized (this) {
                delay = restartBackoff.delayBefore(++restartStreak);
            }
            restartDelay = delay;
            if (!awaitBackoff(delay)) {
                return;
            }
            synchronized (this) {
                if (stopping) {
                    return;
                }
                restarts++;
                log.warn("Restarting embedded ClickHouse on port {} (attempt {} after it died, waited {})", port, attempt, delay);
                try {
                    prepareDataDir();
                    requireFreePort(port);
                    launchAndAwait();
                    failedRestarts = 0;
                    dataDirRemovalReported = false;
                    status = Status.RUNNING;
                    runningSince = System.nanoTime();
                    writeUrlFile();
                    log.info("Embedded ClickHouse is back: pid {} on port {}", process.pid(), port);
                    return;
                } catch (RuntimeException e) {
                    // Whatever went wrong, the next attempt may do better: this loop only ends with a running engine or a stop.
                    failedRestarts = attempt;
                    lastFailure = e.getMessage();
                    log.error("Restart attempt {} of embedded ClickHouse failed; next attempt in {}: {}", attempt,
                            restartBackoff.delayBefore(restartStreak + 1), e.getMessage());
                }
            }
        }
    }

    /** Waits out a backoff; false when the engine is being stopped meanwhile. */
    private synchronized boolean awaitBackoff(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        while (!stopping) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void writeUrlFile() {
        try {
            Files.writeString(dataDir.resolve(URL_FILE), url().toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.debug("Cannot write {}: {}", dataDir.resolve(URL_FILE), e.getMessage());
        }
    }

    /**
     * Makes the data directory ready for a start: there, writable, locked by us, configuration written.
     * Runs again before each restart, so a directory removed under a running engine is recreated (and
     * locked again) instead of failing every restart.
     */
    private void prepareDataDir() {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.DATA_DIR_UNUSABLE,
                    "Cannot create the embedded ClickHouse data directory " + dataDir + ": " + e, e);
        }
        if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.DATA_DIR_UNUSABLE,
                    "The embedded ClickHouse data directory " + dataDir + " is not a writable directory.");
        }
        if (lock != null && !Files.exists(dataDir.resolve(LOCK_FILE))) {
            // Our lock is on a file that was removed: it no longer keeps another gateway out.
            releaseLock();
        }
        if (lock == null) {
            try {
                lockChannel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                lock = lockChannel.tryLock();
            } catch (IOException | OverlappingFileLockException e) {
                lock = null;
            }
        }
        if (lock == null) {
            releaseLock();
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.DATA_DIR_UNUSABLE,
                    "The embedded ClickHouse data directory " + dataDir + " is in use by another running gateway.");
        }
        if (config != null) {
            try {
                configFile = config.write(dataDir);
            } catch (IOException e) {
                releaseLock();
                throw new EmbeddedEngineException(EmbeddedEngineException.Reason.DATA_DIR_UNUSABLE,
                        "Cannot write the embedded ClickHouse user configuration into " + dataDir + ": " + e, e);
            }
        }
    }

    private void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            log.debug("Releasing the data directory lock: {}", e.getMessage());
        }
        lock = null;
        lockChannel = null;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.PORT_UNAVAILABLE,
                    "Cannot find a free port on " + LOOPBACK + ": " + e.getMessage(), e);
        }
    }

    static int requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
            return port;
        } catch (IOException e) {
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.PORT_UNAVAILABLE,
                    "Port " + port + " on " + LOOPBACK + " is not available for the embedded ClickHouse: " + e.getMessage(), e);
        }
    }

    /**
     * The command that starts {@link EngineHost} in a fresh JVM from this JVM's own code: {@code java -jar
     * app.jar engine-host} when running from the Boot jar, else {@code java -cp <classpath> EngineHost}.
     */
    public static List<String> hostCommandForThisJvm(String heap) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:-UsePerfData");
        // A crash writes its hs_err report into the working directory (the data directory); a core
        // dump of a process holding a 570 MB library would only fill the disk.
        command.add("-XX:-CreateCoredumpOnCrash");
        command.add("--enable-native-access=ALL-UNNAMED");
        String classPath = System.getProperty("java.class.path");
        if (isBootJar(classPath)) {
            command.add("-jar");
            command.add(Path.of(classPath).toAbsolutePath().toString());
            command.add(EngineHost.COMMAND);
        } else {
            // The child runs in the data directory: relative entries would resolve there.
            command.add("-cp");
            command.add(Arrays.stream(classPath.split(File.pathSeparator))
                    .map(entry -> Path.of(entry).toAbsolutePath().toString())
                    .collect(Collectors.joining(File.pathSeparator)));
            command.add(EngineHost.class.getName());
        }
        return command;
    }

    private static boolean isBootJar(String classPath) {
        if (classPath == null || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            return jar.getManifest() != null && jar.getManifest().getMainAttributes().getValue("Start-Class") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Keeps what the engine writes into the data directory bounded: its log moves to
     * {@code engine-host.log.1} past {@link #LOG_ROTATE_BYTES}, and only the newest
     * {@link #CRASH_REPORTS_KEPT} crash reports stay.
     */
    static void keepLogsBounded(Path logFile) {
        try {
            if (sizeOf(logFile) > LOG_ROTATE_BYTES) {
                Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            List<Path> reports;
            try (var files = Files.list(logFile.getParent())) {
                reports = files.filter(file -> file.getFileName().toString().matches("hs_err_pid\\d+\\.log"))
                        .sorted(Comparator.comparing(EmbeddedEngine::modified).reversed())
                        .toList();
            }
            for (Path old : reports.subList(Math.min(CRASH_REPORTS_KEPT, reports.size()), reports.size())) {
                Files.deleteIfExists(old);
            }
        } catch (IOException e) {
            log.debug("Cannot tidy the engine's logs in {}: {}", logFile.getParent(), e.getMessage());
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last lines the child wrote (since {@code from}, or the last 4 KB when negative). */
    static String logTail(Path file, long from) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = from >= 0 ? from : Math.max(0, length - 4096);
            start = Math.max(start, length - 4096);
            byte[] bytes = new byte[(int) (length - start)];
            raf.seek(start);
            raf.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // Already closed: the child has its end-of-file either way.
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
