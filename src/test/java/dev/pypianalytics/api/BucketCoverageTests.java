package dev.pypianalytics.api;

import dev.pypianalytics.api.types.DailyDownloads;
import dev.pypianalytics.planner.DateRange;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Marking the first and last bucket of a series when the counted days cut them. */
class BucketCoverageTests {

    static final DateRange DATA = new DateRange(LocalDate.parse("2023-04-03"), LocalDate.parse("2026-03-30"));

    static DailyDownloads point(String month, long downloads) {
        return new DailyDownloads(LocalDate.parse(month), downloads);
    }

    @Test
    void theFirstAndLastMonthsCutByTheDataArePartial() {
        List<DailyDownloads> months = List.of(point("2023-04-01", 5), point("2023-05-01", 9), point("2026-03-01", 8));
        DateRange covered = BucketCoverage.covered(DownloadFilter.NONE, DATA);

        assertThat(BucketCoverage.marked(months, Granularity.MONTH, covered, PartialBuckets.INCLUDE)).extracting(DailyDownloads::partial)
                .containsExactly(true, false, true);
        assertThat(BucketCoverage.marked(months, Granularity.MONTH, covered, PartialBuckets.EXCLUDE))
                .containsExactly(new DailyDownloads(LocalDate.parse("2023-05-01"), 9, false));
    }

    @Test
    void theFilterRangeCutsWithinTheData() {
        DownloadFilter filter = new DownloadFilter(new DateRange(LocalDate.parse("2024-01-15"), LocalDate.parse("2024-03-31")),
                Map.of(), List.of(), DownloadFilter.CiMode.ALL);
        DateRange covered = BucketCoverage.covered(filter, DATA);
        List<DailyDownloads> months = List.of(point("2024-01-01", 1), point("2024-02-01", 2), point("2024-03-01", 3));

        assertThat(BucketCoverage.marked(months, Granularity.MONTH, covered, PartialBuckets.INCLUDE)).extracting(DailyDownloads::partial)
                .containsExactly(true, false, false);
        List<DailyDownloads> days = List.of(point("2024-01-15", 1), point("2024-02-01", 2), point("2024-03-31", 3));
        assertThat(BucketCoverage.marked(days, Granularity.DAY, covered, PartialBuckets.EXCLUDE)).hasSize(3);
        assertThat(BucketCoverage.covered(filter, null)).isNull();
        assertThat(BucketCoverage.marked(months, Granularity.MONTH, null, PartialBuckets.EXCLUDE)).isEqualTo(months);
    }
}
