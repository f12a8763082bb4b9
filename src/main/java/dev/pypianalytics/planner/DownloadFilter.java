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
 * @param mirrors         downloads by mirroring tools ({@link #MIRROR_INSTALLERS}): all, excluded or only
 * @param withoutUnknown  dimensions whose unknown value ({@link Dimension#unknownValue()}) is left out
 */
public record DownloadFilter(DateRange range, Map<Dimension, List<String>> values, List<String> versionPrefixes, CiMode ci,
                             MirrorMode mirrors, Set<Dimension> withoutUnknown) {

    /** What to do with downloads from CI systems. Excluding keeps downloads whose CI flag is unknown. */
    public enum CiMode { ALL, EXCLUDE, ONLY }

    /** What to do with downloads by mirroring tools (pypistats leaves them out; ClickPy counts them). */
    public enum MirrorMode { ALL, EXCLUDE, ONLY }

    /**
     * The installers that mirror PyPI rather than install from it, spelled as linehaul records them (and as
     * pypistats lists them): matched exactly, case included.
     */
    public static final List<String> MIRROR_INSTALLERS = List.of("bandersnatch", "z3c.pypimirror", "Artifactory", "devpi");

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
        mirrors = mirrors == null ? MirrorMode.ALL : mirrors;
        withoutUnknown = withoutUnknown == null || withoutUnknown.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(withoutUnknown));
    }

    /** Every download of mirroring tools counted, no unknown value left out. */
    public DownloadFilter(DateRange range, Map<Dimension, List<String>> values, List<String> versionPrefixes, CiMode ci) {
        this(range, values, versionPrefixes, ci, MirrorMode.ALL);
    }

    /** No unknown value left out. */
    public DownloadFilter(DateRange range, Map<Dimension, List<String>> values, List<String> versionPrefixes, CiMode ci, MirrorMode mirrors) {
        this(range, values, versionPrefixes, ci, mirrors, Set.of());
    }

    /** The same filter over other days ({@code null}: all time). */
    public DownloadFilter withRange(DateRange days) {
        return new DownloadFilter(days, values, versionPrefixes, ci, mirrors, withoutUnknown);
    }

    /** The same filter, also leaving out the downloads whose {@code dimension} is unknown. */
    public DownloadFilter withoutUnknown(Dimension dimension) {
        Set<Dimension> left = EnumSet.of(dimension);
        left.addAll(withoutUnknown);
        return new DownloadFilter(range, values, versionPrefixes, ci, mirrors, left);
    }

    /** The dimensions a table needs to apply this filter. */
    public Set<Dimension> dimensions() {
        Set<Dimension> needed = EnumSet.noneOf(Dimension.class);
        needed.addAll(values.keySet());
        needed.addAll(withoutUnknown);
        if (!versionPrefixes.isEmpty()) {
            needed.add(Dimension.VERSION);
        }
        if (ci != CiMode.ALL) {
            needed.add(Dimension.CI);
        }
        if (mirrors != MirrorMode.ALL) {
            needed.add(Dimension.INSTALLER);
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
