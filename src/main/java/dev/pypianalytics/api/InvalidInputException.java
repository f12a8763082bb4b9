package dev.pypianalytics.api;

/** The request cannot be answered as asked; the message is safe to show and says what to change. */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }
}
