package dev.pypianalytics.clickhouse.embedded;

import java.time.Duration;

/**
 * How long to wait before each attempt to restart an engine that died: {@code initial} before the first,
 * doubling with each failed attempt, never more than {@code max}. There is no last attempt: an engine
 * that cannot start now (port taken, disk full, library gone) usually can later, and a gateway that
 * gave up would stay degraded until someone restarted it by hand.
 *
 * @param initial the wait before the first attempt
 * @param max     the longest wait between two attempts
 */
public record RestartBackoff(Duration initial, Duration max) {

    public RestartBackoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("restart backoff must be positive, got " + initial);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("the longest restart backoff (" + max + ") must be at least the first (" + initial + ")");
        }
    }

    /** The wait before attempt {@code attempt} (1 = the first after the engine died). */
    public Duration delayBefore(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + attempt);
        }
        Duration delay = initial;
        for (int i = 1; i < attempt && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) < 0 ? delay : max;
    }
}
