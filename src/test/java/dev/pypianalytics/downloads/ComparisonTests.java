package dev.pypianalytics.downloads;

import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** A comparison's shaping: each project once, in the order named, with its own series; no ClickHouse. */
class ComparisonTests {

    static final LocalDate Y2025 = LocalDate.parse("2025-01-01");
    static final LocalDate Y2026 = LocalDate.parse("2026-01-01");

    @Test
    void seriesComeInTheOrderNamedWithAnEmptyOneForAProjectWithoutDownloads() {
        // Points come by project, then bucket: pip before uv.
        List<Downloads.Point> points = List.of(new Downloads.Point("pip", Y2025, null, 10),
                new Downloads.Point("uv", Y2025, null, 4), new Downloads.Point("uv", Y2026, null, 6));

        assertThat(Comparison.inOrder(List.of("uv", "pip", "nothing-here"), points)).containsExactly(
                new Comparison.Series("uv", List.of(new Bucket(Y2025, 4), new Bucket(Y2026, 6))),
                new Comparison.Series("pip", List.of(new Bucket(Y2025, 10))),
                new Comparison.Series("nothing-here", List.of()));
    }

    @Test
    void aProjectNamedTwiceIsAskedAndAnsweredOnceAtItsFirstPlace() {
        Downloads downloads = mock(Downloads.class);
        DownloadFilter filter = new DownloadFilter(null, Map.of(), List.of(), DownloadFilter.CiMode.EXCLUDE);
        when(downloads.series(eq(List.of("uv", "pip")), eq(filter), eq(Granularity.YEAR), isNull()))
                .thenReturn(Mono.just(List.of(new Downloads.Point("uv", Y2025, null, 4))));

        List<Comparison.Series> compared = new Comparison(downloads).of(List.of("uv", "pip", "uv"), filter, Granularity.YEAR).block();

        assertThat(compared).containsExactly(new Comparison.Series("uv", List.of(new Bucket(Y2025, 4))), new Comparison.Series("pip", List.of()));
        verify(downloads, times(1)).series(any(), any(), any(), any());
    }
}
