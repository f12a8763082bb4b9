package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.ingest.Source;

import java.util.List;
import java.util.Map;

/**
 * Where a follower finds files: a local folder ({@link FolderSource}) or an http(s) location ({@link HttpSource}).
 * The follower decides what to load, in what order, with retries, quarantine and the lease; a source only
 * lists what it holds now and hands one file over for loading.
 */
public interface FollowSource {

    /**
     * What a listing says about one file: enough to recognise it again without reading it.
     *
     * @param size           bytes, or -1 when the source does not say
     * @param modifiedMillis modification time, or 0 when the source does not say
     * @param etag           entity tag, or empty
     */
    record Observation(long size, long modifiedMillis, String etag) {

        Observation(long size, long modifiedMillis) {
            this(size, modifiedMillis, "");
        }
    }

    /**
     * One file of a listing.
     *
     * @param key         its name in the follower's records and the ledger (absolute path, or URL with credentials masked)
     * @param name        short name for messages (file name)
     * @param observation what the listing says about it
     * @param ready       whether it is complete and may be loaded now (a file still being written is not)
     * @param url         where an http(s) source fetches it from, or {@code null}
     */
    record Entry(String key, String name, Observation observation, boolean ready, SafeUrl url) {

        Entry(String key, String name, Observation observation, boolean ready) {
            this(key, name, observation, ready, null);
        }
    }

    /** A file handed over for loading; closing it removes any temporary copy. */
    interface Fetched extends AutoCloseable {

        Source source();

        @Override
        void close();
    }

    /**
     * Thrown when a file (or the listing) cannot be had right now; the follower tries again after a backoff.
     * An outage (server error, connection refused, timeout) is waited for indefinitely; otherwise (not found,
     * forbidden, changed while fetched) the file is quarantined after {@code maxAttempts}.
     */
    final class Unavailable extends RuntimeException {

        private final boolean outage;

        public Unavailable(String message, boolean outage) {
            super(message);
            this.outage = outage;
        }

        public boolean outage() {
            return outage;
        }
    }

    /** The source the settings name: a folder, a date template or a manifest (exactly one must be set). */
    static FollowSource of(dev.pypianalytics.config.FollowProperties settings, java.time.Clock clock) {
        List<String> set = settings.sources();
        if (set.size() != 1) {
            throw new IllegalArgumentException(set.isEmpty() ? "Nothing to follow: set pypi.follow.directory, pypi.follow.url or "
                    + "pypi.follow.manifest." : "Set only one of " + String.join(", ", set) + ": they are different sources.");
        }
        return switch (set.getFirst()) {
            case "pypi.follow.directory" -> new FolderSource(settings.directory(), settings.quietPeriod(), clock);
            case "pypi.follow.url" -> HttpSource.template(settings.url(), settings.from(), clock, settings.fetchTimeout());
            case "pypi.follow.manifest" -> HttpSource.manifest(settings.manifest(), settings.fetchTimeout());
            default -> throw new IllegalArgumentException(set.getFirst() + " is followed by ClickHouse itself (S3Queue), not by the gateway.");
        };
    }

    /** The source for logs, credentials masked. */
    String describe();

    /** The records the follower kept about this source's files, by key (read once when following starts). */
    Map<String, FollowState.FileRecord> known(FollowState state);

    /**
     * The files the source holds now, in loading order. {@code handled} holds the keys the follower has records of
     * (a source may use it to avoid asking about files again).
     *
     * @throws dev.pypianalytics.ingest.IngestException when the source is gone for good (folder deleted)
     * @throws Unavailable                               when it cannot be listed right now
     */
    List<Entry> list(Map<String, FollowState.FileRecord> handled);

    /** The file, ready for {@link dev.pypianalytics.ingest.Ingest#load}; its label is the entry's key. */
    Fetched fetch(Entry entry);
}
