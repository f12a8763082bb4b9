package dev.pypianalytics.ingest;

/** A load, repair or reconcile that cannot go on; the message says why and what to do, for a person. */
public class IngestException extends RuntimeException {

    public IngestException(String message) {
        super(message);
    }

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
