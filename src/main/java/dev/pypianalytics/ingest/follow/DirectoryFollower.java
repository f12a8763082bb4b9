package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.clickhouse.Lease;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.config.FollowProperties;
import dev.pypianalytics.config.IngestProperties;
import dev.pypianalytics.ingest.Ingest;
import dev.pypianalytics.ingest.IngestException;
import dev.pypianalytics.ingest.Progress;
import dev.pypianalytics.ingest.Source;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows a source of PyPI download exports ({@link FollowSource}: a local folder, or an http(s) manifest or date
 * template, see {@link HttpSource}): every new file is loaded once through {@link Ingest}
 * (and so its ledger), in name order, while this instance holds the warehouse's {@link Lease}.
 *
 * <p>Which files: regular files directly in the folder whose names say an export format ({@code .parquet},
 * {@code .json}, {@code .jsonl}, {@code .ndjson}, optionally {@code .gz}, {@code .zst}, ...); hidden names
 * ({@code .x}) and temporary ones ({@code *.tmp}, {@code *.part}, {@code *.partial}, {@code *.crdownload},
 * {@code *.inprogress}, {@code *~}) are never read. A file is complete when it is not empty, looks the same
 * (size and modification time) at two listings in a row, and was last modified at least the quiet period
 * ago. Writing under a temporary name and renaming is the safe way to deliver; the stability rule covers
 * writers that write in place without long pauses.
 *
 * <p>What happens to a complete file: loaded (its rows reach pypi), duplicate (the ledger already holds the
 * same rows from another file: nothing added), or quarantined with the reason (broken, not an export, the
 * same name with new content, or an earlier load of these rows interrupted while publishing that cannot be
 * resumed because other files hold its days, which needs repair-day); recorded in {@code ingest_follow_files}
 * with its size and modification time, so it is not read again unless it changes. A transient failure (warehouse
 * unreachable, timeout, the engine dying mid-load) stops the round at that file and retries it after a capped
 * exponential backoff, so files are never loaded out of their order around it; a file the warehouse keeps
 * refusing is quarantined after {@code maxAttempts}. A file whose publish was cut midway (engine killed, gateway
 * stopped) is resumed when it is tried again: {@link Ingest} replaces its days with its rows.
 *
 * <p>{@link #stop()} cancels the statement of a load in progress and retries nothing, so a shutdown is bounded;
 * what the load left is handled at the next start.
 *
 * <p>Files that become complete later are still loaded when they do, even if their names sort before
 * files already loaded: "in order" means in name order among the files ready in one listing.
 *
 * <p>Several at a time ({@code pypi.follow.parallelism} above 1): the files of one listing are read and checked into
 * their working tables several at a time, started in name order; a file consults the ledger and publishes only once
 * every earlier file of the listing (in name order) is read and holds none of its days, or is done. So files that share
 * a day (shards of one export, a re-export, late rows) are checked and published one after another in name order,
 * exactly as one at a time (each counted once, the overlap rule seeing the files before it), while files of other days
 * may become visible out of name order. After a transient failure the files after it that have not published yet are
 * left for the next listing. Under {@code pypi.ingest.overlap=REPLACE} files are loaded one at a time (its repairs
 * rebuild aggregates that are not kept per day).
 */
public final class DirectoryFollower {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DirectoryFollower.class);

    private static final List<String> TEMPORARY_SUFFIXES = List.of(".tmp", ".temp", ".part", ".partial", ".crdownload", ".inprogress",
            ".download", "~");

    /** What one listing of the folder led to. */
    public record Round(int loaded, int duplicates, int quarantined, int pending, long rowsAdded, boolean retrying, boolean leaseLost) {

        Round plus(Round other) {
            return new Round(loaded + other.loaded, duplicates + other.duplicates, quarantined + other.quarantined, other.pending,
                    rowsAdded + other.rowsAdded, other.retrying, other.leaseLost);
        }
    }

    private record Candidate(FollowSource.Entry entry) {

        String key() {
            return entry.key();
        }

        String name() {
            return entry.name();
        }

        FollowSource.Observation observation() {
            return entry.observation();
        }
    }

    private final FollowSource files;
    private final FollowProperties settings;
    private final Lease lease;
    private final FollowMetrics metrics;
    private final Progress progress;
    private final Clock clock;
    private final FollowState state;
    private final Ingest ingest;
    private final int parallelism;
    private final CountDownLatch stop = new CountDownLatch(1);
    /** The threads loading a file right now (their statements are cancelled by {@link #stop()}). */
    private final Set<Thread> loading = ConcurrentHashMap.newKeySet();
    /** Guards the follower's bookkeeping ({@code known}, the retry state) while files load several at a time. */
    private final Object books = new Object();

    private Map<String, FollowState.FileRecord> known;
    private String retrySource;
    private int attempts;
    private long retryAtMillis;
    private RuntimeException lastTransient;

    /** Follows the folder {@code settings.directory()}. */
    public DirectoryFollower(ClickHouse clickHouse, FollowProperties settings, Lease lease,
                             FollowMetrics metrics, Progress progress, Clock clock) {
        this(clickHouse, settings, folder(settings, clock), lease, metrics, progress, clock);
    }

    /** Follows the folder with the given overlap rule. */
    public DirectoryFollower(ClickHouse clickHouse, FollowProperties settings, Lease lease,
                             FollowMetrics metrics, Progress progress, Clock clock, IngestProperties.Overlap overlap) {
        this(clickHouse, settings, folder(settings, clock), lease, metrics, progress, clock, overlap);
    }

    public DirectoryFollower(ClickHouse clickHouse, FollowProperties settings, FollowSource files, Lease lease,
                             FollowMetrics metrics, Progress progress, Clock clock) {
        this(clickHouse, settings, files, lease, metrics, progress, clock, IngestProperties.Overlap.REFUSE);
    }

    /**
     * @param overlap what to do with a file holding days other loaded files hold (pypi.ingest.overlap); a refused
     *                file ({@link dev.pypianalytics.ingest.OverlappingDaysException}) is quarantined with the reason
     */
    public DirectoryFollower(ClickHouse clickHouse, FollowProperties settings, FollowSource files, Lease lease,
                             FollowMetrics metrics, Progress progress, Clock clock, IngestProperties.Overlap overlap) {
        this.files = files;
        this.settings = settings;
        this.lease = lease;
        this.metrics = metrics;
        this.progress = progress;
        this.clock = clock;
        this.state = new FollowState(clickHouse);
        this.ingest = new Ingest(clickHouse, overlap);
        this.parallelism = overlap == IngestProperties.Overlap.REPLACE ? 1 : settings.parallelism();
    }

    /** Files of one listing loaded at a time. */
    public int parallelism() {
        return parallelism;
    }

    private static FollowSource folder(FollowProperties settings, Clock clock) {
        if (settings.directory() == null) {
            throw new IllegalArgumentException("no folder to follow");
        }
        return new FolderSource(settings.directory(), settings.quietPeriod(), clock);
    }

    /** The followed folder, or {@code null} when the source is not a folder. */
    public Path directory() {
        return files instanceof FolderSource folder ? folder.directory() : null;
    }

    /** What is followed, for messages (credentials masked). */
    public String describe() {
        return files.describe();
    }

    /** Whether a file name is one the follower would read (an export format, not hidden, not temporary). */
    public static boolean candidateName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith(".") || TEMPORARY_SUFFIXES.stream().anyMatch(lower::endsWith)) {
            return false;
        }
        try {
            Source.formatOf(name);
            return true;
        } catch (IngestException e) {
            return false;
        }
    }

    /**
     * Lists the folder once and loads the files that are complete, in name order. The caller holds the lease
     * (each file re-confirms it before loading). Throws {@link IngestException} when the folder is gone.
     */
    public synchronized Round round() {
        if (known == null) {
            known = files.known(state);
            metrics.newestDay(state.newestLoadedDay());
        }
        List<Candidate> ready = new ArrayList<>();
        int pending = 0;
        for (FollowSource.Entry entry : files.list(known)) {
            FollowSource.Observation observation = entry.observation();
            FollowState.FileRecord record = known.get(entry.key());
            if (record != null && record.describes(observation.size(), observation.modifiedMillis(), observation.etag())) {
                continue; // handled before: recognised without reading it
            }
            if (entry.ready()) {
                ready.add(new Candidate(entry));
            } else {
                pending++;
            }
        }
        if (parallelism > 1 && ready.size() > 1) {
            return together(ready, pending);
        }
        Round round = new Round(0, 0, 0, pending, 0, false, false);
        for (int i = 0; i < ready.size(); i++) {
            Candidate candidate = ready.get(i);
            int left = ready.size() - i;
            if (stopping()) {
                // Shutting down: no new file is started (the rest are loaded at the next start).
                return new Round(round.loaded(), round.duplicates(), round.quarantined(), pending + left, round.rowsAdded(), false, false);
            }
            if (retrySource != null && clock.millis() < retryAtMillis) {
                return new Round(round.loaded(), round.duplicates(), round.quarantined(), pending + left, round.rowsAdded(), true, false);
            }
            if (!lease.confirm()) {
                progress.step("Lost the follow lease of this warehouse; stopped before " + candidate.name());
                known = null;
                return new Round(round.loaded(), round.duplicates(), round.quarantined(), pending + left, round.rowsAdded(), false, true);
            }
            Round outcome = handle(candidate, Ingest.Turn.NONE, false);
            if (outcome == null) {
                return new Round(round.loaded(), round.duplicates(), round.quarantined(), pending + left, round.rowsAdded(), true, false);
            }
            round = round.plus(outcome);
            round = new Round(round.loaded(), round.duplicates(), round.quarantined(), pending, round.rowsAdded(), false, false);
        }
        return round;
    }

    /**
     * The files of one listing, {@link #parallelism} at a time (see the class comment): each is started in name order,
     * confirms the lease first, and takes its {@link Turns turn} before consulting the ledger.
     */
    private Round together(List<Candidate> ready, int pending) {
        synchronized (books) {
            if (retrySource != null && clock.millis() < retryAtMillis) {
                return new Round(0, 0, 0, pending + ready.size(), 0, true, false);
            }
        }
        Turns turns = new Turns(ready.size());
        Round[] outcomes = new Round[ready.size()];
        java.util.concurrent.atomic.AtomicBoolean retrying = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean leaseLost = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, ready.size()), task -> {
            Thread thread = new Thread(task, "pypi-follow-load-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int i = 0; i < ready.size(); i++) {
                int file = i;
                running.add(pool.submit(() -> {
                    Candidate candidate = ready.get(file);
                    try {
                        if (turns.stopped(file)) {
                            return;
                        }
                        if (!lease.confirm()) {
                            if (leaseLost.compareAndSet(false, true)) {
                                progress.step("Lost the follow lease of this warehouse; stopped before " + candidate.name());
                            }
                            turns.stopBefore(file);
                            return;
                        }
                        Round outcome = handle(candidate, days -> turns.await(file, days), true);
                        if (outcome == null) {
                            retrying.set(true);
                            turns.stopAfter(file);
                        } else {
                            outcomes[file] = outcome;
                        }
                    } catch (Turns.GivenUp e) {
                        // An earlier file failed or the lease was lost before this one's turn: left for the next listing.
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                        turns.stopBefore(file);
                    } finally {
                        turns.over(file);
                    }
                }));
            }
            for (java.util.concurrent.Future<?> file : running) {
                try {
                    file.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failure.compareAndSet(null, new IllegalStateException(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    turns.stopBefore(0);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (leaseLost.get()) {
            known = null;
        }
        Round round = new Round(0, 0, 0, pending, 0, retrying.get(), leaseLost.get());
        int left = 0;
        for (Round outcome : outcomes) {
            if (outcome == null) {
                left++;
            } else {
                round = new Round(round.loaded() + outcome.loaded(), round.duplicates() + outcome.duplicates(),
                        round.quarantined() + outcome.quarantined(), pending, round.rowsAdded() + outcome.rowsAdded(), retrying.get(),
                        leaseLost.get());
            }
        }
        if (failure.get() != null && round.loaded() + round.duplicates() + round.quarantined() == 0) {
            throw failure.get();
        }
        return new Round(round.loaded(), round.duplicates(), round.quarantined(), pending + left, round.rowsAdded(), round.retrying(),
                round.leaseLost());
    }

    /**
     * Whose turn it is to consult the ledger and publish among the files of one listing (indexed in name order): a file's
     * turn comes once every earlier file is read and holds none of its days, or is over. Files are started in name order,
     * so the earliest file not over never waits, and a waiting file waits only for files already started.
     */
    static final class Turns {

        /** Thrown to a waiting file when the listing stopped before it. */
        static final class GivenUp extends RuntimeException {
            GivenUp() {
                super("stopped before this file's turn", null, false, false);
            }
        }

        private final List<java.util.Set<java.time.LocalDate>> days;
        private final boolean[] over;
        private int stoppedAt = Integer.MAX_VALUE;

        Turns(int files) {
            this.days = new ArrayList<>(java.util.Collections.nCopies(files, null));
            this.over = new boolean[files];
        }

        /** Returns when file {@code file}, holding {@code held}, may consult the ledger; throws {@link GivenUp} if the listing stopped before it. */
        synchronized void await(int file, java.util.Set<java.time.LocalDate> held) {
            days.set(file, held);
            notifyAll();
            while (true) {
                if (stoppedAt < file) {
                    throw new GivenUp();
                }
                if (clear(file, held)) {
                    return;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GivenUp();
                }
            }
        }

        private boolean clear(int file, java.util.Set<java.time.LocalDate> held) {
            for (int earlier = 0; earlier < file; earlier++) {
                java.util.Set<java.time.LocalDate> theirs = days.get(earlier);
                if (!over[earlier] && (theirs == null || !java.util.Collections.disjoint(theirs, held))) {
                    return false;
                }
            }
            return true;
        }

        synchronized void over(int file) {
            over[file] = true;
            notifyAll();
        }

        /** Files after {@code file} that have not had their turn give up. */
        synchronized void stopAfter(int file) {
            stoppedAt = Math.min(stoppedAt, file);
            notifyAll();
        }

        /** {@code file} and the files after it that have not had their turn give up. */
        synchronized void stopBefore(int file) {
            stopAfter(file - 1);
        }

        synchronized boolean stopped(int file) {
            return stoppedAt < file;
        }
    }

    /**
     * Loads one complete file; {@code null} when a transient failure means it must be tried again later.
     *
     * @param turn     what the load waits for between reading the file and consulting the ledger
     * @param together whether other files load beside it (then a success clears only its own retry state)
     */
    private Round handle(Candidate candidate, Ingest.Turn turn, boolean together) {
        String source = candidate.key();
        FollowSource.Observation observation = candidate.observation();
        loading.add(Thread.currentThread());
        try (FollowSource.Fetched fetched = files.fetch(candidate.entry())) {
            Ingest.Outcome outcome;
            try {
                outcome = ingest.load(fetched.source(), progress, turn);
            } finally {
                loading.remove(Thread.currentThread());
            }
            FollowState.FileRecord record;
            Round round;
            if (outcome.loaded()) {
                record = record(source, observation, FollowState.Status.LOADED, outcome.rows(), outcome.message());
                metrics.loaded(outcome.rows());
                round = new Round(1, 0, 0, 0, outcome.rows(), false, false);
            } else if (state.loadedUnderThisName(source)) {
                // Loaded through this very file by an earlier run that stopped before writing its record here.
                record = record(source, observation, FollowState.Status.LOADED, outcome.rows(), outcome.message());
                round = new Round(0, 0, 0, 0, 0, false, false);
            } else {
                record = record(source, observation, FollowState.Status.DUPLICATE, 0, outcome.message());
                metrics.duplicate();
                round = new Round(0, 1, 0, 0, 0, false, false);
            }
            progress.step(candidate.name() + ": " + record.reason());
            metrics.newestDay(state.newestLoadedDay());
            succeeded(source, together);
            return round;
        } catch (Turns.GivenUp e) {
            throw e;
        } catch (RuntimeException e) {
            if (stopping()) {
                // Stopped (its statement cancelled) by a shutdown: not the file's fault, nothing recorded, no retry now.
                // What it left is handled at the next start: its working table is swept, a publish cut midway resumed.
                log.info("Stopped loading {} for shutdown ({}); it is loaded at the next start", candidate.key(), e.getMessage());
                return null;
            }
            if (e instanceof IngestException) {
                quarantine(candidate, e.getMessage());
                succeeded(source, together);
                return new Round(0, 0, 1, 0, 0, false, false);
            }
            return transientFailure(candidate, e);
        }
    }

    private Round transientFailure(Candidate candidate, RuntimeException e) {
        synchronized (books) {
            return transientFailureOf(candidate, e);
        }
    }

    private Round transientFailureOf(Candidate candidate, RuntimeException e) {
        String source = candidate.key();
        if (!source.equals(retrySource)) {
            retrySource = source;
            attempts = 0;
        }
        attempts++;
        lastTransient = e;
        metrics.failed();
        boolean unreachable = e instanceof ClickHouseException failure && failure.kind() == ClickHouseException.Kind.UNAVAILABLE
                || e instanceof FollowSource.Unavailable unavailable && unavailable.outage();
        if (!unreachable && attempts >= settings.maxAttempts()) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            try {
                quarantine(candidate, "Gave up after " + attempts + " attempts: " + message);
                succeeded();
                return new Round(0, 0, 1, 0, 0, false, false);
            } catch (RuntimeException recordFailed) {
                // The warehouse cannot take the record either: keep retrying.
            }
        }
        Duration wait = backoff(attempts);
        retryAtMillis = clock.millis() + wait.toMillis();
        progress.step(String.format(Locale.ROOT, "%s: attempt %d failed (%s); trying again in %s", candidate.name(),
                attempts, e.getMessage(), wait));
        return null;
    }

    /** Wait after the n-th failed attempt: initial × 2^(n-1), at most the maximum. */
    Duration backoff(int attempt) {
        long initial = settings.retryInitial().toMillis();
        long wait = attempt >= 40 ? Long.MAX_VALUE : initial << Math.max(0, attempt - 1);
        return Duration.ofMillis(Math.min(wait < 0 ? Long.MAX_VALUE : wait, settings.retryMax().toMillis()));
    }

    private void succeeded(String source, boolean together) {
        synchronized (books) {
            if (!together || source.equals(retrySource)) {
                succeeded();
            }
        }
    }

    private void succeeded() {
        retrySource = null;
        attempts = 0;
        lastTransient = null;
    }

    private void quarantine(Candidate candidate, String reason) {
        record(candidate.key(), candidate.observation(), FollowState.Status.QUARANTINED, 0, reason);
        metrics.quarantined();
        progress.step(candidate.name() + ": QUARANTINED: " + reason);
        log.warn("Quarantined {}: {}", candidate.key(), reason);
    }

    private FollowState.FileRecord record(String source, FollowSource.Observation observation, FollowState.Status status, long rows,
                                          String reason) {
        FollowState.FileRecord record = new FollowState.FileRecord(source, observation.size(), observation.modifiedMillis(),
                observation.etag(), status, rows, reason);
        state.record(record, lease.holder());
        synchronized (books) {
            known.put(source, record);
        }
        return record;
    }

    /**
     * Follows until {@link #stop()}: takes the lease when it is free (waiting while another follower holds
     * it), renews it in the background, lists the folder every poll interval, and gives the lease up at the end.
     */
    public void run() {
        ScheduledExecutorService renewer = renewer();
        boolean following = false;
        String waitingFor = null;
        try {
            while (stop.getCount() > 0) {
                try {
                    if (!lease.held()) {
                        if (following) {
                            progress.step("No longer holding the follow lease of this warehouse; waiting to take it again");
                            following = false;
                            known = null;
                        }
                        if (!lease.acquireOrRenew()) {
                            Lease.Holder other = lease.current();
                            String holder = other == null ? "?" : other.holder();
                            if (!holder.equals(waitingFor)) {
                                progress.step("Another follower (" + holder + ") holds this warehouse's follow lease; waiting");
                                waitingFor = holder;
                            }
                            pause(settings.pollInterval());
                            continue;
                        }
                        following = true;
                        waitingFor = null;
                        known = null;
                        progress.step("Following " + files.describe() + " (holder " + lease.holder() + ")");
                    }
                    round();
                } catch (IngestException e) {
                    progress.step(e.getMessage());
                } catch (RuntimeException e) {
                    progress.step("Following " + files.describe() + " paused: " + e.getMessage());
                }
                pause(settings.pollInterval());
            }
        } finally {
            renewer.shutdownNow();
            releaseQuietly();
        }
    }

    /**
     * Loads what is in the folder now and returns (the follow command's {@code --once}): waits for files
     * still being written to be complete, retries transient failures up to {@code maxAttempts}.
     *
     * @throws IngestException when another follower holds the lease or the folder is gone
     */
    public Round once() {
        if (!lease.acquireOrRenew()) {
            Lease.Holder other = lease.current();
            throw new IngestException("Another follower holds this warehouse's follow lease (" + (other == null ? "?" : other.holder())
                    + "); it loads these files. Stop it first, or wait for its lease to expire.");
        }
        ScheduledExecutorService renewer = renewer();
        try {
            Round total = new Round(0, 0, 0, 0, 0, false, false);
            while (true) {
                Round round = round();
                total = total.plus(round);
                if (round.leaseLost()) {
                    throw new IngestException("Lost this warehouse's follow lease to another follower; stopped.");
                }
                if (round.retrying() && attempts >= settings.maxAttempts() && lastTransient != null) {
                    throw lastTransient;
                }
                if ((round.pending() == 0 && !round.retrying()) || stop.getCount() == 0) {
                    return total;
                }
                pause(round.retrying() ? Duration.ofMillis(Math.max(0, retryAtMillis - clock.millis())) : settings.pollInterval());
            }
        } finally {
            renewer.shutdownNow();
            releaseQuietly();
        }
    }

    /**
     * Runs {@code work} only while this instance holds the follow lease (confirmed in the warehouse), and never
     * beside a round of loading (both hold this follower's lock): self-healing repairs days this way, so a
     * repair never runs beside a load. Empty when the lease is held elsewhere.
     */
    public synchronized <T> java.util.Optional<T> whileHoldingLease(java.util.function.Supplier<T> work) {
        if (!lease.held() || !lease.confirm()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(work.get());
    }

    /**
     * Makes {@link #run()} (or a waiting {@link #once()}) return: no new file is started and nothing is retried, and
     * the statement of a load in progress is cancelled (its file is loaded again, or its publish resumed, at the next
     * start), so a shutdown never waits for a long load nor retries an engine that is going away.
     */
    public void stop() {
        stop.countDown();
        loading.forEach(ingest::cancel);
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    private ScheduledExecutorService renewer() {
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pypi-follow-lease");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, lease.duration().toMillis() / 3);
        renewer.scheduleWithFixedDelay(() -> {
            try {
                if (lease.held() && !lease.renew()) {
                    progress.step("Another follower took this warehouse's follow lease");
                }
            } catch (RuntimeException e) {
                log.warn("Could not renew the follow lease: {}", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return renewer;
    }

    private void releaseQuietly() {
        try {
            lease.release();
        } catch (RuntimeException e) {
            log.warn("Could not release the follow lease (it expires by itself): {}", e.getMessage());
        }
    }

    private void pause(Duration duration) {
        try {
            stop.await(Math.max(1, duration.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }
}
