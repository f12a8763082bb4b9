package dev.pypianalytics.planner;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** What "last month" covers up to a day: worked out on a calendar, not computed. */
class MonthWindowTests {

    @ParameterizedTest(name = "{0} up to {1}: {2} to {1}, {3} days")
    @CsvSource({
            "LAST_30_DAYS,   2026-03-31, 2026-03-02, 30",
            "LAST_30_DAYS,   2026-03-01, 2026-01-31, 30",
            "LAST_30_DAYS,   2024-03-15, 2024-02-15, 30",
            "CALENDAR_MONTH, 2026-03-15, 2026-02-16, 28",
            "CALENDAR_MONTH, 2026-03-31, 2026-03-01, 31",
            "CALENDAR_MONTH, 2026-03-28, 2026-03-01, 28",
            "CALENDAR_MONTH, 2026-03-01, 2026-02-02, 28",
            "CALENDAR_MONTH, 2024-03-15, 2024-02-16, 29",
            "CALENDAR_MONTH, 2024-03-30, 2024-03-01, 30",
            "CALENDAR_MONTH, 2026-01-10, 2025-12-11, 31",
            "CALENDAR_MONTH, 2026-05-31, 2026-05-01, 31",
            "CALENDAR_MONTH, 2026-07-31, 2026-07-01, 31",
            "CALENDAR_MONTH, 2026-04-30, 2026-03-31, 31",
    })
    void countsBackFromTheDay(MonthWindow window, LocalDate asOf, LocalDate from, long days) {
        DateRange range = window.upTo(asOf);

        assertThat(range.from()).isEqualTo(from);
        assertThat(range.to()).isEqualTo(asOf);
        assertThat(range.days()).isEqualTo(days);
    }
}
