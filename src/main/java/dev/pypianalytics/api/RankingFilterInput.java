package dev.pypianalytics.api;

import dev.pypianalytics.planner.DateRange;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The GraphQL {@code RankingFilter} input: which downloads rank the projects (days, one country, CI), checked
 * and turned into the planner's {@link DownloadFilter} (which applies to every project alike).
 */
record RankingFilterInput(LocalDate from, LocalDate to, String country, DownloadFilter.CiMode ci) {

    /** The input from its coerced GraphQL value (a map of its fields), as the request budget sees it before execution. */
    static RankingFilterInput of(Map<?, ?> value) {
        Object ci = value.get("ci");
        return new RankingFilterInput(value.get("from") instanceof LocalDate day ? day : null,
                value.get("to") instanceof LocalDate day ? day : null,
                value.get("country") instanceof String code ? code : null,
                ci == null ? DownloadFilter.CiMode.ALL : DownloadFilter.CiMode.valueOf(ci.toString()));
    }

    static DownloadFilter toFilter(RankingFilterInput input) {
        return input == null ? DownloadFilter.NONE : input.toFilter();
    }

    DownloadFilter toFilter() {
        DateRange range = null;
        if (from != null || to != null) {
            // The same open ends as a download filter's, so an open range can still be answered by a month table.
            LocalDate start = from != null ? from : DownloadFilterInput.FIRST;
            LocalDate end = to != null ? to : DownloadFilterInput.LAST;
            if (start.isAfter(end)) {
                throw new InvalidInputException("filter.from (" + start + ") is after filter.to (" + end + ").");
            }
            range = new DateRange(start, end);
        }
        if (country != null && !country.matches("[A-Z]{2}")) {
            throw new InvalidInputException("filter.country: '" + (country.length() > 20 ? country.substring(0, 20) + "..." : country)
                    + "' is not a two-letter upper-case country code like US.");
        }
        return new DownloadFilter(range, country == null ? Map.of() : Map.of(Dimension.COUNTRY, List.of(country)), List.of(), ci);
    }
}
