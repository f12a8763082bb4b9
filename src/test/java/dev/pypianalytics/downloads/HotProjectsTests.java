package dev.pypianalytics.downloads;

import dev.pypianalytics.planner.DateRange;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** The hot list's shaping: growth, each project's monthly series, the year they cover; no ClickHouse. */
class HotProjectsTests {

    static final LocalDate MARCH = LocalDate.parse("2026-03-01");

    final Trends trends = mock(Trends.class);
    final Downloads downloads = mock(Downloads.class);
    final HotProjects hotProjects = new HotProjects(trends, downloads);

    @Test
    void growthIsTheLastMonthOverTheMonthBeforeAndEachProjectKeepsItsPlaceAndItsOwnSeries() {
        List<Trends.Hot> hot = List.of(new Trends.Hot("uv", MARCH, 40, 100), new Trends.Hot("ruff", MARCH, 4, 3),
                new Trends.Hot("quiet", MARCH, 8, 8));
        // Points come by project, then month: not in the list's order.
        List<Downloads.Point> points = List.of(
                new Downloads.Point("ruff", LocalDate.parse("2026-02-01"), null, 4),
                new Downloads.Point("ruff", MARCH, null, 3),
                new Downloads.Point("uv", LocalDate.parse("2025-12-01"), null, 7),
                new Downloads.Point("uv", MARCH, null, 100));

        assertThat(HotProjects.withSeries(hot, points)).containsExactly(
                new HotProjects.Hot("uv", MARCH, 40, 100, 2.5,
                        List.of(new Bucket(LocalDate.parse("2025-12-01"), 7), new Bucket(MARCH, 100))),
                new HotProjects.Hot("ruff", MARCH, 4, 3, 0.75,
                        List.of(new Bucket(LocalDate.parse("2026-02-01"), 4), new Bucket(MARCH, 3))),
                // No downloads in the year's series (the list and the series disagree): an empty series, not a missing project.
                new HotProjects.Hot("quiet", MARCH, 8, 8, 1.0, List.of()));
    }

    @Test
    void theSeriesCoverTheTwelveMonthsEndingWithTheHotMonthCiIncluded() {
        DownloadFilter year = HotProjects.yearEndingWith(LocalDate.parse("2026-02-01"));
        assertThat(year.range()).isEqualTo(new DateRange(LocalDate.parse("2025-03-01"), LocalDate.parse("2026-02-28")));
        assertThat(year.ci()).isEqualTo(DownloadFilter.CiMode.ALL);
        assertThat(year.values()).isEmpty();
        assertThat(year.versionPrefixes()).isEmpty();
    }

    @Test
    void oneSeriesQuestionForAllHotProjectsOverTheYearOfTheFirstOnesMonth() {
        LocalDate asOf = LocalDate.parse("2026-04-15");
        when(trends.hot(asOf, 20, 2)).thenReturn(Mono.just(List.of(new Trends.Hot("uv", MARCH, 40, 100), new Trends.Hot("ruff", MARCH, 4, 3))));
        DownloadFilter year = new DownloadFilter(new DateRange(LocalDate.parse("2025-04-01"), LocalDate.parse("2026-03-31")),
                java.util.Map.of(), List.of(), DownloadFilter.CiMode.ALL);
        when(downloads.series(eq(List.of("uv", "ruff")), eq(year), eq(Granularity.MONTH), isNull()))
                .thenReturn(Mono.just(List.of(new Downloads.Point("uv", MARCH, null, 100))));

        HotProjects.Listing listing = hotProjects.of(asOf, 20, 2).block();

        assertThat(listing.year()).isEqualTo(year);
        assertThat(listing.projects()).extracting(HotProjects.Hot::project).containsExactly("uv", "ruff");
        assertThat(listing.projects().getFirst().monthly()).containsExactly(new Bucket(MARCH, 100));
        verify(downloads, times(1)).series(any(), any(), any(), any());
    }

    @Test
    void noHotProjectIsNoListingAndNoSeriesQuestion() {
        when(trends.hot(any(), eq(20L), eq(5))).thenReturn(Mono.just(List.of()));
        assertThat(hotProjects.of(LocalDate.parse("2026-04-15"), 20, 5).blockOptional()).isEmpty();
        verifyNoInteractions(downloads);
    }
}
