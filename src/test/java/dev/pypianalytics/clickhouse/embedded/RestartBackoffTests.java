package dev.pypianalytics.clickhouse.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestartBackoffTests {

    @Test
    void theDefaultWaitsDoubleFromOneSecondAndStopAtOneMinute() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertThat(IntStream.rangeClosed(1, 10).mapToObj(backoff::delayBefore).map(Duration::toSeconds).toList())
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L, 60L);
    }

    @ParameterizedTest
    @CsvSource({
            "1, 1000",
            "7, 60000",
            "1000, 60000",
            "2147483647, 60000",
    })
    void theWaitNeverExceedsTheCapHoweverManyAttemptsFailed(int attempt, long expectedMillis) {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertThat(backoff.delayBefore(attempt)).isEqualTo(Duration.ofMillis(expectedMillis));
    }

    @Test
    void equalBoundsMeanAFixedWait() {
        RestartBackoff fixed = new RestartBackoff(Duration.ofMillis(250), Duration.ofMillis(250));
        assertThat(fixed.delayBefore(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(fixed.delayBefore(5)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void nonsensicalBoundsAreRefused() {
        assertThatThrownBy(() -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("positive");
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1))).hasMessageContaining("at least");
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2)).delayBefore(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
