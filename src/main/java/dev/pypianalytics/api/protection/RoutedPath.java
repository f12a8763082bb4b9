package dev.pypianalytics.api.protection;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A request's path the way WebFlux's routes see it, for filters that must decide what a request reaches:
 * each segment percent-decoded and without its matrix parameters ({@code /%67raphql} and
 * {@code /graphql;x=1} are routed to {@code /graphql}), empty segments dropped, lower case. Comparing the
 * raw path text instead lets a client reach a route while the filter thinks it asked for something else.
 * Dropping empty segments and ignoring case can only make a filter treat more paths as the protected
 * ones, never fewer.
 */
record RoutedPath(List<String> segments) {

    static RoutedPath of(ServerHttpRequest request) {
        List<String> segments = new ArrayList<>();
        for (PathContainer.Element element : request.getPath().pathWithinApplication().elements()) {
            if (element instanceof PathContainer.PathSegment segment && !segment.valueToMatch().isEmpty()) {
                segments.add(segment.valueToMatch().toLowerCase(Locale.ROOT));
            }
        }
        return new RoutedPath(List.copyOf(segments));
    }

    /** A configured path such as {@code /actuator/health}. */
    static RoutedPath of(String path) {
        return new RoutedPath(Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty())
                .map(segment -> segment.toLowerCase(Locale.ROOT)).toList());
    }

    /** This path or one below it. */
    boolean isWithin(RoutedPath other) {
        return segments.size() >= other.segments.size() && segments.subList(0, other.segments.size()).equals(other.segments);
    }

    boolean isWithin(String firstSegment) {
        return !segments.isEmpty() && segments.getFirst().equals(firstSegment);
    }
}
