package dev.pypianalytics.clickhouse;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Hooks;

import java.util.concurrent.CancellationException;

/**
 * What Reactor does with an error that arrives after its subscriber left ({@code onErrorDropped}). A statement whose
 * request went away (a dashboard that moved on, a client that hung up, a timeout) is cancelled on purpose: its HTTP
 * exchange then fails with a {@link CancellationException} that nobody listens to any more, and Reactor's default logs
 * it at ERROR with a stack trace, once per abandoned statement. Those are logged at DEBUG here; any other dropped error
 * is still logged at ERROR, as before.
 */
@Component
public class DroppedErrors {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DroppedErrors.class);

    DroppedErrors() {
        Hooks.onErrorDropped(DroppedErrors::handle);
    }

    static void handle(Throwable error) {
        if (cancellation(error)) {
            log.debug("A cancelled statement's late failure, dropped: {}", error.toString());
        } else {
            log.error("An error arrived after its subscriber had gone (dropped)", error);
        }
    }

    /** Whether {@code error} is, or is caused by, a cancellation. */
    static boolean cancellation(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CancellationException) {
                return true;
            }
        }
        return false;
    }
}
