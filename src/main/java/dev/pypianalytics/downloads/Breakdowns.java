package dev.pypianalytics.downloads;

import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Breakdowns of projects' downloads by a dimension: the values with the most downloads are chosen in ClickHouse,
 * the others are the projects' totals less them ({@link Downloads#topValues}); the same statements for all the projects asked.
 */
@Service
public class Breakdowns {

    private final Downloads downloads;

    public Breakdowns(Downloads downloads) {
        this.downloads = downloads;
    }

    /**
     * Per project, its {@code limit} values of {@code by} with the most downloads under the filter (ties by
     * value), the rest as other; a project without downloads has {@link Breakdown#NONE}. Country codes get
     * their names.
     */
    public Mono<Map<String, Breakdown>> of(List<String> projects, Dimension by, DownloadFilter filter, int limit) {
        Mono<Map<String, String>> names = by == Dimension.COUNTRY ? downloads.countryNames() : Mono.just(Map.of());
        return Mono.zip(downloads.topValues(projects, filter, by, limit), names).map(both -> {
            Map<String, List<Breakdown.Entry>> entries = new LinkedHashMap<>();
            Map<String, Long> totals = new LinkedHashMap<>();
            for (Downloads.RankedValue value : both.getT1()) {
                entries.computeIfAbsent(value.project(), project -> new java.util.ArrayList<>())
                        .add(new Breakdown.Entry(value.value(), both.getT2().get(value.value()), value.downloads()));
                totals.put(value.project(), value.total());
            }
            Map<String, Breakdown> breakdowns = new LinkedHashMap<>();
            for (String project : projects) {
                List<Breakdown.Entry> listed = entries.getOrDefault(project, List.of());
                long total = totals.getOrDefault(project, 0L);
                breakdowns.put(project, new Breakdown(listed, total - listed.stream().mapToLong(Breakdown.Entry::downloads).sum(), total));
            }
            return breakdowns;
        });
    }
}
