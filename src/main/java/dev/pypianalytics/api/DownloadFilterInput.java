package dev.pypianalytics.api;

import dev.pypianalytics.planner.DateRange;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The GraphQL {@code DownloadFilter} input, checked and turned into the planner's {@link DownloadFilter}. */
record DownloadFilterInput(LocalDate from, LocalDate to, List<String> versions, List<String> countries, List<String> pythonMinors,
                           List<String> systems, List<String> installers, List<String> fileTypes, DownloadFilter.CiMode ci,
                           DownloadFilter.MirrorMode mirrors) {

    static final int MAX_VALUES = 100;
    /** Open ends of a range: both whole months, so an open range can still be answered by a month table. */
    static final LocalDate FIRST = LocalDate.of(1970, 1, 1);
    static final LocalDate LAST = LocalDate.of(2999, 12, 31);

    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}|");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9!+._-]{1,100}(\\.\\*)?");

    /** The input from its coerced GraphQL value (a map of its fields), as the request budget sees it before execution. */
    static DownloadFilterInput of(Map<?, ?> value) {
        Object ci = value.get("ci");
        Object mirrors = value.get("mirrors");
        return new DownloadFilterInput(date(value.get("from")), date(value.get("to")), strings(value.get("versions")),
                strings(value.get("countries")), strings(value.get("pythonMinors")), strings(value.get("systems")),
                strings(value.get("installers")), strings(value.get("fileTypes")),
                ci == null ? DownloadFilter.CiMode.ALL : DownloadFilter.CiMode.valueOf(ci.toString()),
                mirrors == null ? DownloadFilter.MirrorMode.ALL : DownloadFilter.MirrorMode.valueOf(mirrors.toString()));
    }

    private static LocalDate date(Object value) {
        return value instanceof LocalDate day ? day : null;
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : null;
    }

    static DownloadFilter toFilter(DownloadFilterInput input) {
        return input == null ? DownloadFilter.NONE : input.toFilter();
    }

    DownloadFilter toFilter() {
        DateRange range = null;
        if (from != null || to != null) {
            LocalDate start = from != null ? from : FIRST;
            LocalDate end = to != null ? to : LAST;
            if (start.isAfter(end)) {
                throw new InvalidInputException("filter.from (" + start + ") is after filter.to (" + end + ").");
            }
            range = new DateRange(start, end);
        }
        Map<Dimension, List<String>> values = new EnumMap<>(Dimension.class);
        List<String> prefixes = new ArrayList<>();
        List<String> exact = new ArrayList<>();
        for (String version : checked("versions", versions)) {
            if (!VERSION.matcher(version).matches()) {
                throw new InvalidInputException("filter.versions: '" + version + "' is not a version or a prefix like 2.*.");
            }
            if (version.endsWith(".*")) {
                prefixes.add(version.substring(0, version.length() - 2));
            } else {
                exact.add(version);
            }
        }
        if (!exact.isEmpty() && !prefixes.isEmpty()) {
            // Either may match: a prefix list with the exact versions as prefixes of themselves would widen them.
            throw new InvalidInputException("filter.versions: use either exact versions or prefixes like 2.*, not both.");
        }
        values.put(Dimension.VERSION, exact);
        for (String country : checked("countries", countries)) {
            if (!COUNTRY.matcher(country).matches()) {
                throw new InvalidInputException("filter.countries: '" + country + "' is not a two-letter upper-case country code like US.");
            }
        }
        values.put(Dimension.COUNTRY, checked("countries", countries));
        values.put(Dimension.PYTHON_MINOR, checked("pythonMinors", pythonMinors));
        values.put(Dimension.SYSTEM, checked("systems", systems));
        values.put(Dimension.INSTALLER, checked("installers", installers));
        values.put(Dimension.FILE_TYPE, checked("fileTypes", fileTypes));
        return new DownloadFilter(range, values, prefixes, ci, mirrors);
    }

    private static List<String> checked(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_VALUES) {
            throw new InvalidInputException("filter." + field + " has " + values.size() + " values; at most " + MAX_VALUES + " are allowed.");
        }
        for (String value : values) {
            if (value.length() > 200) {
                throw new InvalidInputException("filter." + field + ": a value longer than 200 characters cannot match anything.");
            }
        }
        return values;
    }
}
