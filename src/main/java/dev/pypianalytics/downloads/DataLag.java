package dev.pypianalytics.downloads;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * How old the data is, and what that means against the configured thresholds. Pure: no Spring, no queries.
 *
 * <p>The lag is now minus the end (the next midnight, UTC) of the last day with downloads: a day is whole at its
 * end, so data through yesterday read just after midnight has a lag near zero, and the lag grows while nothing new
 * arrives. The follower's {@code pypi_ingest_lag_seconds} uses the same formula over the newest day the ledger's
 * loaded files hold. Without any data the lag is unknown ({@code null}), and a configured threshold counts as passed.
 *
 * @param staleAfter {@code null} = never stale
 * @param warnAfter  {@code null} = never WARN
 * @param downAfter  {@code null} = never DOWN
 */
public record DataLag(Duration staleAfter, Duration warnAfter, Duration downAfter) {

    /** What the health check says. */
    public enum Level { UP, WARN, DOWN }

    /** Seconds from the end of {@code lastDay} (UTC) to {@code now}; {@code null} when there is no data. */
    public static Long seconds(LocalDate lastDay, Instant now) {
        if (lastDay == null) {
            return null;
        }
        long end = lastDay.plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        return now.getEpochSecond() - end;
    }

    /** Whether data with this lag ({@code null}: none) is stale. */
    public boolean stale(Long lagSeconds) {
        return past(lagSeconds, staleAfter);
    }

    /** The health level of data with this lag ({@code null}: none); DOWN wins over WARN. */
    public Level level(Long lagSeconds) {
        if (past(lagSeconds, downAfter)) {
            return Level.DOWN;
        }
        return past(lagSeconds, warnAfter) ? Level.WARN : Level.UP;
    }

    /** Strictly past the threshold; an unknown lag is past any threshold that is set. */
    private static boolean past(Long lagSeconds, Duration threshold) {
        if (threshold == null) {
            return false;
        }
        return lagSeconds == null || lagSeconds > threshold.toSeconds();
    }
}
