package dev.pypianalytics.planner;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which downloads to count.
 *
 * @param range           days, or {@code null} for all time
 * @param values          dimension → accepted values (exact); CI is set by {@code ci} instead
 * @param versionPrefixes PEP 440 prefixes: {@code 2} matches {@code 2}, {@code 2.0}, {@code 2.1.3}, not {@code 20.1}
 * @param ci              CI downloads: all, excluded or only
 */
public record DownloadFilter(DateRange range, Map<Dimension, List<String>> values, List<String> versionPrefixes, CiMode ci) {

    /** What to do with downloads from CI systems. Excluding keeps downloads whose CI flag is unknown. */
    public enum CiMode { ALL, EXCLUDE, ONLY }

    public static final DownloadFilter NONE = new DownloadFilter(null, Map.of(), List.of(), CiMode.ALL);

    public DownloadFilter {
        Map<Dimension, List<String>> copy = new EnumMap<>(Dimension.class);
        values.forEach((dimension, accepted) -> {
            if (dimension == Dimension.CI) {
                throw new IllegalArgumentException("filter CI with the ci mode, not by value");
            }
            if (!accepted.isEmpty()) {
                copy.put(dimension, List.copyOf(accepted));
            }
        });
        values = copy;
        versionPrefixes = List.copyOf(versionPrefixes);
        ci = ci == null ? CiMode.ALL : ci;
    }

    /** The dimensions a table needs to apply this filter. */
    public Set<Dimension> dimensions() {
        Set<Dimension> needed = EnumSet.noneOf(Dimension.class);
        needed.addAll(values.keySet());
        if (!versionPrefixes.isEmpty()) {
            needed.add(Dimension.VERSION);
        }
        if (ci != CiMode.ALL) {
            needed.add(Dimension.CI);
        }
        return needed;
    }

    /** The shape of a question with this filter, grouped by {@code groupBy} (or nothing) in buckets of {@code granularity} (or none). */
    public Shape shape(Dimension groupBy, Granularity granularity) {
        Set<Dimension> needed = dimensions();
        if (groupBy != null) {
            needed.add(groupBy);
        }
        return new Shape(needed, granularity, range);
    }
}
