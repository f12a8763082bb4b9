package dev.pypianalytics.api;

/** What the request names does not exist; the message is safe to show. Answered as NOT_FOUND. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
