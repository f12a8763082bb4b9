package dev.pypianalytics.api;

import dev.pypianalytics.planner.DateRange;
import dev.pypianalytics.planner.Granularity;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What each field of the schema accepts and what answering it takes, in one table: the allowed range of
 * every numeric argument and the checks of names and filters (the same checks the resolvers rely on), how
 * many items a list field may return, the series a field returns, and the ClickHouse statements it sends.
 * The request budget reads it for the whole document before anything runs, so a request is checked and
 * costed as a whole and refused as a whole.
 *
 * <p>Statements: every per-project field is loaded for all projects of a request at once (one statement
 * per distinct argument set, however many projects ask), and identical statements of one request are sent
 * once. A field's statements are therefore described by a key (the field and its arguments) and a count:
 * fields with the same key at the same depth share their statements.
 */
public final class FieldRules {

    /** Largest page of {@code projects}, list of dependents, breakdown entries and trends lists. */
    public static final int MAX_LIMIT = 100;
    /** Most versions one {@code versions} field lists. */
    public static final int MAX_VERSIONS = 1000;
    /** Most series of one {@code downloadsBy}. */
    public static final int MAX_TOP = 20;
    /** Most projects one {@code compare} takes. */
    public static final int MAX_COMPARED = 10;
    /** Most entities one {@code _entities} call resolves. */
    public static final int MAX_ENTITIES = 100;

    /** Items assumed for lists without a size argument (requirements, installer × file type cells). */
    static final int UNSIZED_LIST = 50;

    /** The metadata fields of {@code Project}: one look-up for all of them. */
    private static final java.util.Set<String> METADATA = ProjectMetadataFields.FIELDS.keySet();

    private FieldRules() {
    }

    /**
     * The statements a field sends: {@code count} statements shared by every field with the same
     * {@code key} at the same depth of the request.
     */
    public record Statements(String key, int count) {
        static final Statements NONE = new Statements("", 0);
    }

    /** A time series a field returns: {@code series} lines of buckets of {@code granularity} over {@code range}. */
    public record Series(long series, Granularity granularity, DateRange range) {
    }

    /**
     * Checks a field's arguments; a value out of range or malformed is an {@link InvalidInputException}
     * whose message names the argument.
     *
     * @param type      the object type the field belongs to
     * @param field     the field's name
     * @param arguments its arguments, coerced (defaults applied)
     */
    public static void check(String type, String field, Map<String, Object> arguments) {
        switch (type + "." + field) {
            case "Query.project" -> ProjectName.of(string(arguments, "name"));
            case "Query.projects" -> {
                range(arguments, "first", 1, MAX_LIMIT);
                String prefix = string(arguments, "prefix");
                if (prefix != null && (prefix.length() > 100 || !prefix.matches("[A-Za-z0-9._-]*"))) {
                    throw new InvalidInputException("prefix may hold only letters, digits, '.', '_' and '-' (at most 100).");
                }
                if (string(arguments, "after") != null) {
                    Cursors.decode(string(arguments, "after"));
                }
            }
            case "Query.compare" -> {
                List<?> names = list(arguments, "names");
                if (names.size() < 2 || names.size() > MAX_COMPARED) {
                    throw new InvalidInputException("compare takes 2 to " + MAX_COMPARED + " project names, got " + names.size() + ".");
                }
                names.forEach(name -> ProjectName.of(String.valueOf(name)));
                filter(arguments);
            }
            case "Query._entities" -> {
                int entities = list(arguments, "representations").size();
                if (entities > MAX_ENTITIES) {
                    throw new InvalidInputException("representations has " + entities + " entities; at most " + MAX_ENTITIES
                            + " are resolved per request.");
                }
                List<?> representations = list(arguments, "representations");
                for (int i = 0; i < representations.size(); i++) {
                    representation(i, representations.get(i));
                }
            }
            case "Trends.top" -> {
                range(arguments, "days", 1, 366);
                range(arguments, "limit", 1, MAX_LIMIT);
            }
            case "Trends.emerging" -> {
                range(arguments, "months", 1, 36);
                range(arguments, "limit", 1, MAX_LIMIT);
            }
            case "Trends.needingRefresh" -> {
                range(arguments, "months", 1, 120);
                range(arguments, "limit", 1, MAX_LIMIT);
            }
            case "Trends.hot" -> {
                range(arguments, "minDownloads", 0, Long.MAX_VALUE);
                range(arguments, "limit", 1, MAX_LIMIT);
            }
            case "Trends.recentReleases", "Project.dependents" -> range(arguments, "limit", 1, MAX_LIMIT);
            case "Project.versions" -> {
                range(arguments, "limit", 1, MAX_VERSIONS);
                filter(arguments);
            }
            case "Project.downloadsBy" -> {
                range(arguments, "top", 1, MAX_TOP);
                filter(arguments);
            }
            case "Project.breakdown" -> {
                range(arguments, "limit", 1, MAX_LIMIT);
                filter(arguments);
            }
            case "Project.totalDownloads", "Project.downloadSummary", "Project.downloads", "Project.installerFileTypes" -> filter(arguments);
            case "Project.ranking" -> {
                if (arguments.get("filter") instanceof Map<?, ?> filter) {
                    RankingFilterInput.of(filter).toFilter();
                }
            }
            case "Repository.starsOverTime" -> datesInOrder(arguments.get("from") instanceof LocalDate day ? day : null,
                    arguments.get("to") instanceof LocalDate day ? day : null);
            default -> { }
        }
    }

    /** A from/to pair given as arguments of their own: either may be open ({@code null}), but from must not be after to. */
    static void datesInOrder(LocalDate from, LocalDate to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw new InvalidInputException("from (" + from + ") must not be after to (" + to + ").");
        }
    }

    /**
     * A router's representation of an entity: this subgraph resolves {@code Project} by its key {@code name},
     * a valid project name (an unknown one is a {@code null} entity with NOT_FOUND, not a bad request).
     */
    private static void representation(int index, Object representation) {
        String at = "representations[" + index + "]: ";
        if (!(representation instanceof Map<?, ?> fields)) {
            throw new InvalidInputException(at + "an entity representation is an object with __typename and its key.");
        }
        if (!"Project".equals(fields.get("__typename"))) {
            Object type = fields.get("__typename");
            throw new InvalidInputException(at + "this subgraph resolves Project entities only"
                    + (type instanceof String name ? ", not " + ProjectName.abbreviate(name) : " (__typename is missing)") + ".");
        }
        if (!(fields.get("name") instanceof String name)) {
            throw new InvalidInputException(at + "a Project is keyed by name, a string.");
        }
        try {
            ProjectName.of(name);
        } catch (InvalidInputException invalid) {
            throw new InvalidInputException(at + invalid.getMessage());
        }
    }

    /** How many items a list field may return: its children's cost is multiplied by this. */
    public static long items(String type, String field, Map<String, Object> arguments) {
        return switch (type + "." + field) {
            case "Query.projects" -> number(arguments, "first", 20);
            case "Query.compare" -> list(arguments, "names").size();
            case "Query._entities" -> list(arguments, "representations").size();
            case "Project.versions" -> number(arguments, "limit", 100);
            case "Project.dependents" -> number(arguments, "limit", 20);
            case "Project.breakdown", "Trends.top", "Trends.emerging", "Trends.needingRefresh", "Trends.hot",
                 "Trends.recentReleases" -> number(arguments, "limit", 10);
            case "Project.downloadsBy" -> number(arguments, "top", 5) + 1;
            case "Project.dependencies", "Project.installerFileTypes" -> UNSIZED_LIST;
            case "Stats.gaps", "Stats.repairs" -> 100;
            default -> 1;
        };
    }

    /**
     * The series a field returns, if it returns one.
     *
     * @param parentArguments the arguments of the field it belongs to ({@code Version.series} follows its
     *                        {@code versions}' filter)
     */
    public static Series series(String type, String field, Map<String, Object> arguments, Map<String, Object> parentArguments) {
        return switch (type + "." + field) {
            case "Project.downloads" -> new Series(1, granularity(arguments), range(arguments));
            case "Project.downloadsBy" -> new Series(number(arguments, "top", 5) + 1, granularity(arguments), range(arguments));
            case "Query.compare" -> new Series(list(arguments, "names").size(), granularity(arguments), range(arguments));
            case "Version.series" -> new Series(1, granularity(arguments), range(parentArguments));
            case "HotProject.monthly" -> new Series(1, Granularity.MONTH, null);
            // A ranking over dates sums every project's days from a daily table: costed as a daily series over them.
            case "Project.ranking" -> range(arguments) == null ? null : new Series(1, Granularity.DAY, range(arguments));
            case "Repository.starsOverTime" -> new Series(1, granularity(arguments), dates(arguments));
            default -> null;
        };
    }

    /** The statements a field sends (see the class description). */
    public static Statements statements(String type, String field, Map<String, Object> arguments, Map<String, Object> parentArguments) {
        String coordinate = type + "." + field;
        if (type.equals("Project") && METADATA.contains(field)) {
            // One look-up of releases and one of first/last download days, for every metadata field.
            return new Statements("Project.metadata", 2);
        }
        return switch (coordinate) {
            case "Query.projects", "Query.compare", "Project.totalDownloads", "Project.dependents", "Project.downloads",
                 "Project.downloadsBy", "Project.installerFileTypes", "Trends.top", "Trends.emerging", "Trends.needingRefresh",
                 "Trends.recentReleases" -> new Statements(coordinate + canonical(arguments), 1);
            case "Project.ranking" -> new Statements(coordinate + canonical(arguments), 1);
            case "Query.stats", "Stats.lastCompleteDay", "Stats.gaps", "Stats.repairs", "Project.dependencies" ->
                    new Statements(coordinate, 1);
            // The all-time totals of every dependency in the answer (the totals loader, unfiltered).
            case "Dependency.downloads" -> new Statements(coordinate, 1);
            // The last complete day, and the ledger's loads, quarantined files and follow lease (the last day with
            // data comes from the data version's snapshot; the followed folder's files are one more when following).
            case "Query.freshness" -> new Statements(coordinate, 3);
            // The repositories with their figures (whether the warehouse has GitHub events is known beforehand, cached).
            case "Project.repository" -> new Statements(coordinate, 1);
            case "Repository.starsOverTime" -> new Statements(coordinate + canonical(arguments), 1);
            case "Project.breakdown" -> new Statements(coordinate + canonical(Map.of("by", String.valueOf(arguments.get("by")),
                    "filter", String.valueOf(canonical(arguments.get("filter"))), "unknown", String.valueOf(arguments.get("unknown")))), 1);
            // The series, and the upload times of the versions listed.
            case "Project.versions" -> new Statements(coordinate + canonical(arguments.get("filter")), 2);
            // The recent periods and the all-time total.
            case "Project.downloadSummary", "Trends.hot" -> new Statements(coordinate + canonical(arguments), 2);
            case "Version.series" -> new Statements(coordinate + canonical(arguments)
                    + canonical(parentArguments == null ? null : parentArguments.get("filter")), 1);
            default -> Statements.NONE;
        };
    }

    /** A stable text of a coerced value (maps sorted by key), for statement keys. */
    static String canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder text = new StringBuilder("{");
            map.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> String.valueOf(a).compareTo(String.valueOf(b))))
                    .forEach(entry -> text.append(entry.getKey()).append('=').append(canonical(entry.getValue())).append(','));
            return text.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder text = new StringBuilder("[");
            list.forEach(element -> text.append(canonical(element)).append(','));
            return text.append(']').toString();
        }
        return String.valueOf(value);
    }

    private static void filter(Map<String, Object> arguments) {
        if (arguments.get("filter") instanceof Map<?, ?> filter) {
            DownloadFilterInput.of(filter).toFilter();
        }
    }

    private static DateRange range(Map<String, Object> arguments) {
        if (arguments == null || !(arguments.get("filter") instanceof Map<?, ?> filter)) {
            return null;
        }
        LocalDate from = filter.get("from") instanceof LocalDate day ? day : null;
        LocalDate to = filter.get("to") instanceof LocalDate day ? day : null;
        if (from == null && to == null) {
            return null;
        }
        LocalDate start = from == null ? DownloadFilterInput.FIRST : from;
        LocalDate end = to == null ? DownloadFilterInput.LAST : to;
        return start.isAfter(end) ? null : new DateRange(start, end);
    }

    /** A from/to range given as arguments of their own (not in a filter). */
    private static DateRange dates(Map<String, Object> arguments) {
        LocalDate from = arguments.get("from") instanceof LocalDate day ? day : DownloadFilterInput.FIRST;
        LocalDate to = arguments.get("to") instanceof LocalDate day ? day : DownloadFilterInput.LAST;
        return from.isAfter(to) ? null : new DateRange(from, to);
    }

    private static Granularity granularity(Map<String, Object> arguments) {
        Object value = arguments.get("granularity");
        return value == null ? Granularity.MONTH : Granularity.valueOf(value.toString());
    }

    private static void range(Map<String, Object> arguments, String name, long min, long max) {
        Object value = arguments.get(name);
        if (value instanceof Number number && (number.longValue() < min || number.longValue() > max)) {
            throw new InvalidInputException(name + " must be between " + min + " and " + max + ", got " + number + ".");
        }
    }

    private static long number(Map<String, Object> arguments, String name, long absent) {
        return arguments.get(name) instanceof Number number ? Math.max(0, number.longValue()) : absent;
    }

    private static String string(Map<String, Object> arguments, String name) {
        return arguments.get(name) instanceof String text ? text : null;
    }

    private static List<?> list(Map<String, Object> arguments, String name) {
        return arguments.get(name) instanceof List<?> list ? list : List.of();
    }
}
