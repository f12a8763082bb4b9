package dev.pypianalytics.api.http;

import org.springframework.core.io.buffer.DataBuffer;

import java.io.ByteArrayOutputStream;

/**
 * The bytes of a request body as they arrive, kept up to a limit. Past the limit nothing more is kept, but
 * the rest is still counted as it is read and dropped, up to a second, larger bound: a client that sends its
 * whole body before it reads the answer (most do) must be able to finish sending, or it never sees the 413
 * (the server would close the connection under it). Past that bound, reading stops.
 */
final class LimitedBody {

    private final long limit;
    private final long drainLimit;
    private ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long received;

    /**
     * @param limit      most bytes kept: a longer body is {@link #overLimit() over the limit}
     * @param drainLimit most bytes read at all ({@code >= limit})
     */
    LimitedBody(long limit, long drainLimit) {
        this.limit = limit;
        this.drainLimit = Math.max(limit, drainLimit);
    }

    /** Counts the buffer and keeps a copy of it while under the limit; the caller still owns (and releases) it. */
    void add(DataBuffer buffer) {
        int count = buffer.readableByteCount();
        received += count;
        if (kept == null) {
            return;
        }
        if (received > limit) {
            kept = null;
            return;
        }
        byte[] bytes = new byte[count];
        buffer.read(bytes);
        kept.write(bytes, 0, count);
    }

    boolean overLimit() {
        return received > limit;
    }

    /** Whether to stop reading: past the bound up to which an oversized body is read and dropped. */
    boolean pastDrainLimit() {
        return received > drainLimit;
    }

    /** The body, when it was within the limit. */
    byte[] bytes() {
        if (kept == null) {
            throw new IllegalStateException("over the limit: " + received + " > " + limit + " bytes");
        }
        return kept.toByteArray();
    }
}
