package dev.pypianalytics.planner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The planner's side of the semantics choices: mirrors, unknown values, the first day of a week and partial buckets. */
class SemanticsFiltersPlannerTests {

    static final Catalog CATALOG = PlannerTests.CATALOG;

    @ParameterizedTest(name = "mirrors {0}, by {1} over {2} -> {3}")
    @CsvSource(nullValues = "-", textBlock = """
            ALL     , -     , -                      , pypi_downloads_by_ci
            EXCLUDE , -     , -                      , pypi_downloads_by_installer_by_type
            ONLY    , -     , -                      , pypi_downloads_by_installer_by_type
            EXCLUDE , DAY   , -                      , pypi_downloads_per_day_by_installer
            EXCLUDE , MONTH , 2026-01-01..2026-01-20 , pypi_downloads_per_day_by_installer
            ALL     , WEEK  , -                      , pypi_project_downloads_per_day
            """)
    void aMirrorsFilterNeedsTheInstallerDimension(DownloadFilter.MirrorMode mirrors, Granularity granularity, String range, String table) {
        DateRange days = range == null ? null : new DateRange(LocalDate.parse(range.substring(0, 10)), LocalDate.parse(range.substring(12)));
        DownloadFilter filter = new DownloadFilter(days, Map.of(), List.of(), DownloadFilter.CiMode.ALL, mirrors);
        assertThat(filter.dimensions().contains(Dimension.INSTALLER)).isEqualTo(mirrors != DownloadFilter.MirrorMode.ALL);
        assertThat(CATALOG.choose(filter.shape(null, granularity)).name()).isEqualTo(table);
    }

    @Test
    void theFourArgumentFilterCountsMirrorsAndKeepsUnknownValues() {
        DownloadFilter filter = new DownloadFilter(null, Map.of(), List.of(), DownloadFilter.CiMode.EXCLUDE);
        assertThat(filter.mirrors()).isEqualTo(DownloadFilter.MirrorMode.ALL);
        assertThat(filter.withoutUnknown()).isEmpty();
        assertThat(filter).isEqualTo(new DownloadFilter(null, Map.of(), List.of(), DownloadFilter.CiMode.EXCLUDE, null, null));
    }

    @Test
    void leavingOutTheUnknownValueNeedsItsDimensionAndSurvivesANewRange() {
        DownloadFilter filter = DownloadFilter.NONE.withoutUnknown(Dimension.PYTHON_MINOR)
                .withRange(new DateRange(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-31")));
        assertThat(filter.dimensions()).containsExactly(Dimension.PYTHON_MINOR);
        assertThat(filter.withoutUnknown()).containsExactly(Dimension.PYTHON_MINOR);
        assertThat(CATALOG.choose(filter.shape(null, null)).name()).isEqualTo("pypi_downloads_per_day_by_version_by_python");
        assertThat(Dimension.CI.unknownValue()).isEqualTo("unknown");
        assertThat(Dimension.COUNTRY.unknownValue()).isEmpty();
    }

    @Test
    void weeksFromSundayAreAnsweredFromDayTablesLikeWeeksFromMonday() {
        assertThat(Granularity.WEEK.weeksStartingOn(DayOfWeek.SUNDAY)).isEqualTo(Granularity.WEEK_FROM_SUNDAY);
        assertThat(Granularity.WEEK.weeksStartingOn(DayOfWeek.MONDAY)).isEqualTo(Granularity.WEEK);
        assertThat(Granularity.WEEK_FROM_SUNDAY.weeksStartingOn(DayOfWeek.MONDAY)).isEqualTo(Granularity.WEEK);
        assertThat(Granularity.MONTH.weeksStartingOn(DayOfWeek.SUNDAY)).isEqualTo(Granularity.MONTH);
        assertThat(Granularity.DAY.weeksStartingOn(DayOfWeek.SUNDAY)).isEqualTo(Granularity.DAY);
        assertThatThrownBy(() -> Granularity.WEEK.weeksStartingOn(DayOfWeek.SATURDAY)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Granularity.WEEK_FROM_SUNDAY.bucket("date")).isEqualTo("toStartOfWeek(date, 0)");
        assertThat(Granularity.WEEK.bucket("date")).isEqualTo("toMonday(date)");
        // No table is keyed by week: both need days, and the same table answers both.
        for (String range : new String[] {null, "2026-01-01..2026-03-31", "2026-01-04..2026-01-17"}) {
            Shape monday = PlannerTests.shape("VERSION", "WEEK", range);
            Shape sunday = PlannerTests.shape("VERSION", "WEEK_FROM_SUNDAY", range);
            assertThat(sunday.neededTime()).isEqualTo(TimeKey.DAY);
            assertThat(CATALOG.choose(sunday)).isEqualTo(CATALOG.choose(monday));
        }
    }

    @ParameterizedTest(name = "{0} bucket from {1} within {2}: partial {3}")
    @CsvSource(textBlock = """
            DAY              , 2026-01-01 , 2026-01-01..2026-01-01 , false
            WEEK             , 2025-12-29 , 2025-12-29..2026-01-31 , false
            WEEK             , 2025-12-29 , 2025-12-30..2026-01-31 , true
            WEEK             , 2026-01-26 , 2025-12-29..2026-01-31 , true
            WEEK             , 2026-01-26 , 2025-12-29..2026-02-01 , false
            WEEK_FROM_SUNDAY , 2026-01-25 , 2025-12-28..2026-01-31 , false
            WEEK_FROM_SUNDAY , 2026-01-25 , 2025-12-28..2026-01-30 , true
            MONTH            , 2024-02-01 , 2024-01-01..2024-02-29 , false
            MONTH            , 2024-02-01 , 2024-01-01..2024-02-28 , true
            MONTH            , 2024-01-01 , 2024-01-02..2024-12-31 , true
            QUARTER          , 2026-01-01 , 2026-01-01..2026-03-31 , false
            QUARTER          , 2026-01-01 , 2026-01-01..2026-03-30 , true
            YEAR             , 2025-01-01 , 2025-01-01..2025-12-31 , false
            YEAR             , 2025-01-01 , 2023-04-01..2025-12-30 , true
            """)
    void aBucketIsPartialWhenTheCountedDaysCutIt(Granularity granularity, LocalDate first, String covered, boolean partial) {
        DateRange days = new DateRange(LocalDate.parse(covered.substring(0, 10)), LocalDate.parse(covered.substring(12)));
        assertThat(granularity.partial(first, days)).isEqualTo(partial);
    }

    @Test
    void theCountedDaysAreTheRangeWithinTheDaysWithData() {
        DateRange data = new DateRange(LocalDate.parse("2023-04-03"), LocalDate.parse("2026-03-30"));
        assertThat(new DateRange(LocalDate.parse("1970-01-01"), LocalDate.parse("2024-05-31")).intersection(data))
                .isEqualTo(new DateRange(LocalDate.parse("2023-04-03"), LocalDate.parse("2024-05-31")));
        assertThat(new DateRange(LocalDate.parse("2027-01-01"), LocalDate.parse("2027-05-31")).intersection(data)).isNull();
        assertThat(data.intersection(data)).isEqualTo(data);
        assertThat(Set.of(Granularity.values())).contains(Granularity.WEEK_FROM_SUNDAY);
    }
}
