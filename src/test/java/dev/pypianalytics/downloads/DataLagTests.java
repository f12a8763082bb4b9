package dev.pypianalytics.downloads;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** The lag's definition and the thresholds (pure). */
class DataLagTests {

    @ParameterizedTest
    @CsvSource({
            // last day, now, seconds: a day is whole at the next midnight (UTC)
            "2026-03-31, 2026-04-01T00:00:00Z, 0",
            "2026-03-31, 2026-04-01T01:00:00Z, 3600",
            "2026-03-31, 2026-04-03T00:00:00Z, 172800",
            "2026-03-31, 2026-03-31T12:00:00Z, -43200",
    })
    void lagIsNowMinusTheEndOfTheLastDay(LocalDate lastDay, Instant now, long seconds) {
        assertThat(DataLag.seconds(lastDay, now)).isEqualTo(seconds);
    }

    @Test
    void noDataHasNoLag() {
        assertThat(DataLag.seconds(null, Instant.parse("2026-04-01T00:00:00Z"))).isNull();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            // lag seconds, stale-after, warn-after, down-after, stale, level
            "100,    -,    -,    -,    false, UP",
            "100,    PT1M, PT1M, PT1H, true,  WARN",
            "60,     PT1M, PT1M, PT1H, false, UP",
            "3601,   PT1M, PT1M, PT1H, true,  DOWN",
            "3601,   -,    -,    PT1H, false, DOWN",
            "3601,   -,    PT1H, -,    false, WARN",
            "-5,     PT1M, PT1M, PT1H, false, UP",
            // no data: past every threshold that is set
            "-,      PT1M, PT1M, PT1H, true,  DOWN",
            "-,      PT1M, PT1M, -,    true,  WARN",
            "-,      -,    -,    -,    false, UP",
    })
    void thresholdsAreStrictAndOffWhenUnset(Long lag, Duration staleAfter, Duration warnAfter, Duration downAfter, boolean stale,
                                            DataLag.Level level) {
        DataLag thresholds = new DataLag(staleAfter, warnAfter, downAfter);
        assertThat(thresholds.stale(lag)).isEqualTo(stale);
        assertThat(thresholds.level(lag)).isEqualTo(level);
    }
}
