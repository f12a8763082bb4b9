package dev.pypianalytics.clickhouse;


import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * A right that one instance at a time holds over a warehouse, kept in its {@code ingest_lease} table: to
 * follow (load into) it ({@link #FOLLOW}), so that only one of several gateways or {@code follow} commands
 * loads files, and to migrate its schema ({@link #MIGRATIONS}), so that instances started together apply
 * each {@code sql/} file once.
 *
 * <p>ClickHouse has no compare-and-set, so a takeover is an election by terms: a contender that finds the
 * newest term expired (or none) inserts a claim on the next term, waits {@code settle}, and reads back the
 * claims of that term; the earliest claim (server time, then holder name) wins. Every contender reads the
 * same rows and so agrees on the winner; a later contender finds the term taken and live. The holder
 * renews its row every third of the duration; a renewal that reads back a newer term has lost.
 *
 * <p>Guarantees, honestly: two followers never both believe they hold the lease as long as every insert
 * is visible within {@code settle} (one server: at once) and a holder is not paused longer than the lease
 * between its last check and its next write. It is not a fencing token: a follower frozen for longer than
 * the duration (suspended VM, stop-the-world pause) can finish one load after its successor took over. All
 * times are the server's clock; only elapsed local time is used to give up a lease that could not be renewed.
 */
public final class Lease {

    /** The lease every follower of a warehouse competes for. */
    public static final String FOLLOW = "follow";

    /** The lease held while applying schema migrations. */
    public static final String MIGRATIONS = "migrations";

    /** Who holds a lease and until when (server time, epoch milliseconds). */
    public record Holder(long term, String holder, long claimedAtMicros, long expiresAtMillis, boolean live) {
    }

    private final ClickHouse clickHouse;
    private final String name;
    private final String holder;
    private final Duration duration;
    private final Duration settle;

    private volatile Holder held;
    private volatile long renewedAtNanos;

    public Lease(ClickHouse clickHouse, String name, Duration duration, Duration settle) {
        this.clickHouse = clickHouse;
        this.name = name;
        this.duration = duration;
        this.settle = settle;
        this.holder = holderName();
    }

    /** This process's name in the lease table: host, process id and a random part (two instances never share it). */
    public String holder() {
        return holder;
    }

    public Duration duration() {
        return duration;
    }

    /** Takes the lease if it is free or expired, or renews it if held; returns whether this instance holds it now. */
    public synchronized boolean acquireOrRenew() {
        if (held != null) {
            return renew();
        }
        Holder current = current();
        if (current != null && current.live()) {
            return false;
        }
        long term = current == null ? 1 : current.term() + 1;
        clickHouse.execute(Sql.of("""
                        INSERT INTO ingest_lease (name, term, holder, claimed_at, expires_at, written_at)
                        SELECT {name:String}, {term:Int64}, {holder:String}, now64(6), now64(3) + toIntervalMillisecond({ttl:Int64}), now64(6)""")
                .bind("name", name).bind("term", term).bind("holder", holder).bind("ttl", duration.toMillis())).block();
        long claimed = System.nanoTime();
        sleep(settle);
        Holder winner = current();
        if (winner != null && winner.term() == term && winner.holder().equals(holder)) {
            held = winner;
            renewedAtNanos = claimed;
            return true;
        }
        return false;
    }

    /** Extends the lease; {@code false} (and no longer held) when another follower has taken a newer term. */
    public synchronized boolean renew() {
        Holder mine = held;
        if (mine == null) {
            return false;
        }
        long started = System.nanoTime();
        clickHouse.execute(Sql.of("""
                        INSERT INTO ingest_lease (name, term, holder, claimed_at, expires_at, written_at)
                        SELECT {name:String}, {term:Int64}, {holder:String}, fromUnixTimestamp64Micro({claimed:Int64}, 'UTC'),
                               now64(3) + toIntervalMillisecond({ttl:Int64}), now64(6)""")
                .bind("name", name).bind("term", mine.term()).bind("holder", holder).bind("claimed", mine.claimedAtMicros())
                .bind("ttl", duration.toMillis())).block();
        Holder winner = current();
        if (winner != null && winner.term() == mine.term() && winner.holder().equals(holder)) {
            renewedAtNanos = started;
            return true;
        }
        held = null;
        return false;
    }

    /**
     * Whether this instance holds the lease: read from the warehouse (another follower may have taken a newer
     * term), and never past the duration since the last successful renewal.
     */
    public synchronized boolean confirm() {
        Holder mine = held;
        if (mine == null) {
            return false;
        }
        if (System.nanoTime() - renewedAtNanos >= duration.toNanos()) {
            held = null;
            return false;
        }
        Holder winner = current();
        if (winner == null || winner.term() != mine.term() || !winner.holder().equals(holder) || !winner.live()) {
            held = null;
            return false;
        }
        return true;
    }

    /** Whether this instance believes it holds the lease (no warehouse read). */
    public boolean held() {
        return held != null && System.nanoTime() - renewedAtNanos < duration.toNanos();
    }

    /** Gives the lease up at once (expires it), so another follower need not wait for it to lapse. */
    public synchronized void release() {
        Holder mine = held;
        held = null;
        if (mine == null) {
            return;
        }
        clickHouse.execute(Sql.of("""
                        INSERT INTO ingest_lease (name, term, holder, claimed_at, expires_at, written_at)
                        SELECT {name:String}, {term:Int64}, {holder:String}, fromUnixTimestamp64Micro({claimed:Int64}, 'UTC'), now64(3) - toIntervalMillisecond(1), now64(6)""")
                .bind("name", name).bind("term", mine.term()).bind("holder", holder).bind("claimed", mine.claimedAtMicros())).block();
    }

    /** The winner of the newest term, or {@code null} when nobody ever claimed this lease. */
    public Holder current() {
        return clickHouse.queryOne(Sql.of("""
                        SELECT term, holder, toUnixTimestamp64Micro(claimed_at) AS claimed, toUnixTimestamp64Milli(expires_at) AS expires,
                               expires_at > now64(3) AS live
                        FROM ingest_lease FINAL
                        WHERE name = {name:String}
                        ORDER BY term DESC, claimed_at ASC, holder ASC
                        LIMIT 1""").bind("name", name),
                row -> new Holder(row.getLong("term"), row.getString("holder"), row.getLong("claimed"), row.getLong("expires"),
                        row.getLong("live") == 1)).block();
    }

    private static String holderName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + HexFormat.of().toHexDigits((int) UUID.randomUUID().getMostSignificantBits());
    }

    private static void sleep(Duration pause) {
        if (!pause.isZero()) {
            LockSupport.parkNanos(pause.toNanos());
        }
    }
}
