package dev.pypianalytics.clickhouse;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class DroppedErrorsTests {

    @Test
    void aCancelledExchangesLateFailureIsACancellationWhereverItIsWrapped() {
        assertThat(DroppedErrors.cancellation(new CancellationException("Request cancelled"))).isTrue();
        // What the JDK's HTTP client completes a cancelled exchange with, as the gateway's log showed it.
        assertThat(DroppedErrors.cancellation(new CompletionException(new CancellationException("Request cancelled")))).isTrue();
    }

    @Test
    void anyOtherDroppedErrorIsNot() {
        assertThat(DroppedErrors.cancellation(new CompletionException(new IOException("connection reset")))).isFalse();
        assertThat(DroppedErrors.cancellation(new IllegalStateException("bug"))).isFalse();
    }
}
