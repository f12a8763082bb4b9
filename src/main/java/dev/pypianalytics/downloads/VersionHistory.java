package dev.pypianalytics.downloads;

import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Pep440Version;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Projects' versions with downloads, newest first by PEP 440, with their upload times. */
@Service
public class VersionHistory {

    /** A version's downloads under a filter and when its first file was uploaded ({@code null}: not in the metadata). */
    public record VersionDownloads(String version, OffsetDateTime uploaded, long downloads) {
    }

    private static final Comparator<Downloads.Total> NEWEST_FIRST =
            Comparator.comparing((Downloads.Total total) -> Pep440Version.parse(total.value())).reversed();

    private final Downloads downloads;
    private final ProjectMetadata metadata;

    public VersionHistory(Downloads downloads, ProjectMetadata metadata) {
        this.downloads = downloads;
        this.metadata = metadata;
    }

    /** The upload time of each version of each project (one statement; to be shared by every filter of a request). */
    public Mono<Map<String, Map<String, OffsetDateTime>>> uploadTimes(List<String> projects) {
        return metadata.uploadTimes(projects);
    }

    /**
     * Per project, at most {@code limit} of its versions with downloads under the filter, newest first by
     * PEP 440, with their upload times from {@code uploads} (see {@link #uploadTimes}).
     */
    public Mono<Map<String, List<VersionDownloads>>> newestFirst(List<String> projects, DownloadFilter filter, int limit,
                                                                 Mono<Map<String, Map<String, OffsetDateTime>>> uploads) {
        return Mono.zip(downloads.totals(projects, filter, Dimension.VERSION), uploads).map(both -> {
            Map<String, List<Downloads.Total>> byProject = both.getT1().stream().collect(Collectors.groupingBy(Downloads.Total::project));
            Map<String, List<VersionDownloads>> versions = new LinkedHashMap<>();
            for (String project : projects) {
                Map<String, OffsetDateTime> uploaded = both.getT2().getOrDefault(project, Map.of());
                versions.put(project, byProject.getOrDefault(project, List.of()).stream().sorted(NEWEST_FIRST).limit(limit)
                        .map(total -> new VersionDownloads(total.value(), uploaded.get(total.value()), total.downloads()))
                        .toList());
            }
            return versions;
        });
    }
}
