package dev.pypianalytics.downloads;

import java.util.List;

/**
 * A project's downloads split by one dimension: its values with the most downloads, the rest as
 * {@code other}, and the {@code total} over all values (the GraphQL {@code Breakdown}).
 */
public record Breakdown(List<Entry> entries, long other, long total) {

    /** No downloads at all. */
    public static final Breakdown NONE = new Breakdown(List.of(), 0, 0);

    /** Downloads of one value ({@code name}: a readable name where there is one, e.g. a country's). */
    public record Entry(String value, String name, long downloads) {
    }

    public Breakdown {
        entries = List.copyOf(entries);
    }

    /** The same breakdown listing only its first {@code limit} entries: the ones left out count as other. */
    public Breakdown first(int limit) {
        if (limit >= entries.size()) {
            return this;
        }
        List<Entry> listed = entries.subList(0, limit);
        return new Breakdown(listed, total - listed.stream().mapToLong(Entry::downloads).sum(), total);
    }
}
