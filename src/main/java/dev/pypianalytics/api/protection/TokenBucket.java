package dev.pypianalytics.api.protection;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code capacity} requests at once, refilled continuously at {@code capacity} per
 * minute. Thread-safe.
 */
final class TokenBucket {

    /** The outcome of one request: allowed or not, tokens left, seconds until the bucket is full again. */
    record Decision(boolean allowed, long remaining, long secondsToFull, long secondsToNext) {
    }

    private static final double NANOS_PER_MINUTE = 60e9;

    private final long capacity;
    private final LongSupplier clock;
    private double tokens;
    private long last;

    TokenBucket(long capacity, LongSupplier nanoClock) {
        this.capacity = capacity;
        this.clock = nanoClock;
        this.tokens = capacity;
        this.last = nanoClock.getAsLong();
    }

    synchronized Decision take() {
        long now = clock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * capacity / NANOS_PER_MINUTE);
        last = now;
        boolean allowed = tokens >= 1;
        if (allowed) {
            tokens -= 1;
        }
        double perSecond = capacity / 60.0;
        long toFull = (long) Math.ceil((capacity - tokens) / perSecond);
        long toNext = allowed ? 0 : (long) Math.ceil((1 - tokens) / perSecond);
        return new Decision(allowed, (long) Math.floor(tokens), toFull, toNext);
    }

    /** Full and untouched for a while: can be forgotten. */
    synchronized boolean idleSince(long nanos) {
        return last < nanos;
    }
}
