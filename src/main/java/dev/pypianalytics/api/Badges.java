package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.downloads.DataFreshness;
import dev.pypianalytics.downloads.Downloads;
import dev.pypianalytics.downloads.ProjectNames;
import dev.pypianalytics.planner.DownloadFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Download badges for READMEs: {@code GET /badge/<project>.svg} (a flat badge, as shields.io draws them)
 * and {@code GET /badge/<project>.json} (shields.io's endpoint format, for
 * {@code https://img.shields.io/endpoint?url=...}).
 *
 * <p>Query parameters: {@code period} = {@code total} (default), {@code month} (last 30 days), {@code week}
 * (last 7 days) or {@code day}; {@code ci=exclude} leaves out downloads from CI; {@code label} replaces
 * "downloads". Figures come from the planner like the GraphQL API's (and its result cache); answers are
 * cacheable for an hour ({@code ETag} of the figure, so a revalidation costs nothing).
 *
 * <p>When the data is older than {@code pypi.freshness.stale-after} (unset by default: never), the message ends in
 * {@code " (stale)"} and the colour is orange, in the SVG and the JSON alike: a figure that stopped moving is not
 * taken for the current one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class Badges {

    static final Duration MAX_AGE = Duration.ofHours(1);
    private static final List<String> PERIODS = List.of("total", "month", "week", "day");

    private static final String UNAVAILABLE = "unavailable";

    /** Ends the message of a badge whose data is stale ({@code pypi.freshness.stale-after}). */
    static final String STALE = " (stale)";

    /** What a badge says. */
    record Badge(String label, String message, String color, boolean error) {
    }

    @Bean
    RouterFunction<ServerResponse> badgeRoutes(Downloads downloads, ProjectNames projects, DataFreshness freshness) {
        Figures figures = new Figures(downloads, projects, freshness);
        return RouterFunctions.route()
                .GET("/badge/{file}", request -> {
                    String file = request.pathVariable("file");
                    boolean svg = file.endsWith(".svg");
                    if (!svg && !file.endsWith(".json")) {
                        return ServerResponse.notFound().build();
                    }
                    String name = file.substring(0, file.lastIndexOf('.'));
                    return figures.badge(name, request)
                            .onErrorResume(InvalidInputException.class, invalid -> Mono.just(new Badge("badge", invalid.getMessage(), "red", true)))
                            // The warehouse is down: say so (503 with Retry-After), never a 500 page.
                            .onErrorResume(ClickHouseException.class, down -> Mono.just(new Badge("downloads", UNAVAILABLE, "lightgrey", true)))
                            .flatMap(badge -> respond(request, badge, svg));
                })
                .build();
    }

    private static Mono<ServerResponse> respond(ServerRequest request, Badge badge, boolean svg) {
        String body = svg ? Svg.render(badge) : json(badge);
        String etag = "\"" + PersistedOperations.sha256(body).substring(0, 24) + "\"";
        HttpStatus status = !badge.error() ? HttpStatus.OK : badge.message().equals("not found") ? HttpStatus.NOT_FOUND
                : badge.message().equals(UNAVAILABLE) ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_REQUEST;
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            return ServerResponse.status(status).cacheControl(CacheControl.noStore())
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(WarehouseUnavailable.RETRY_AFTER_SECONDS))
                    .contentType(svg ? MediaType.valueOf("image/svg+xml;charset=utf-8") : MediaType.APPLICATION_JSON)
                    .bodyValue(body);
        }
        CacheControl caching = badge.error() ? CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic() : CacheControl.maxAge(MAX_AGE).cachePublic();
        if (status == HttpStatus.OK && request.headers().header(HttpHeaders.IF_NONE_MATCH).contains(etag)) {
            return ServerResponse.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(caching).build();
        }
        // Shields.io reads the JSON of any status; browsers show an SVG of any status.
        return ServerResponse.status(status).eTag(etag).cacheControl(caching)
                .contentType(svg ? MediaType.valueOf("image/svg+xml;charset=utf-8") : MediaType.APPLICATION_JSON)
                .bodyValue(body);
    }

    private static String json(Badge badge) {
        return "{\"schemaVersion\":1,\"label\":" + quote(badge.label()) + ",\"message\":" + quote(badge.message())
                + ",\"color\":" + quote(badge.color()) + (badge.error() ? ",\"isError\":true" : "") + "}";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** The numbers behind a badge. */
    private record Figures(Downloads downloads, ProjectNames projects, DataFreshness freshness) {

        Mono<Badge> badge(String rawName, ServerRequest request) {
            String period = request.queryParam("period").orElse("total").toLowerCase(Locale.ROOT);
            if (!PERIODS.contains(period)) {
                return Mono.error(new InvalidInputException("period must be one of " + String.join(", ", PERIODS)));
            }
            String ci = request.queryParam("ci").orElse("all").toLowerCase(Locale.ROOT);
            if (!ci.equals("all") && !ci.equals("exclude")) {
                return Mono.error(new InvalidInputException("ci must be all or exclude"));
            }
            String label = request.queryParam("label").filter(text -> !text.isBlank())
                    .map(text -> text.length() > 40 ? text.substring(0, 40) : text).orElse("downloads");
            ProjectName name;
            try {
                name = ProjectName.of(rawName);
            } catch (InvalidInputException invalid) {
                return Mono.error(invalid);
            }
            DownloadFilter filter = new DownloadFilter(null, Map.of(), List.of(),
                    ci.equals("exclude") ? DownloadFilter.CiMode.EXCLUDE : DownloadFilter.CiMode.ALL);
            return projects.exists(name.value()).flatMap(exists -> {
                if (!exists) {
                    return Mono.just(new Badge(label, "not found", "lightgrey", true));
                }
                Mono<Long> count = period.equals("total")
                        ? downloads.totals(List.of(name.value()), filter, null)
                                .map(totals -> totals.stream().mapToLong(Downloads.Total::downloads).sum())
                        : downloads.lastDay().flatMap(asOf -> downloads.recent(List.of(name.value()), filter, asOf))
                                .map(recent -> recent.stream().mapToLong(r -> switch (period) {
                                    case "month" -> r.month();
                                    case "week" -> r.week();
                                    default -> r.day();
                                }).sum())
                                .defaultIfEmpty(0L);
                String suffix = switch (period) {
                    case "month" -> "/month";
                    case "week" -> "/week";
                    case "day" -> "/day";
                    default -> "";
                };
                // The last day with data comes from the data version's snapshot: no statement of its own.
                Mono<Boolean> stale = freshness.lastDay().map(freshness::stale).defaultIfEmpty(freshness.stale(null));
                return Mono.zip(count, stale).map(both -> both.getT2()
                        ? new Badge(label, compact(both.getT1()) + suffix + STALE, "orange", false)
                        : new Badge(label, compact(both.getT1()) + suffix, both.getT1() == 0 ? "lightgrey" : "blue", false));
            });
        }
    }

    /** 999, 1.2k, 34k, 1.2M, 13B: three significant figures at most, as badges show numbers. */
    static String compact(long n) {
        String[] units = {"", "k", "M", "B", "T"};
        double value = n;
        int unit = 0;
        while (Math.abs(value) >= 999.5 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        if (unit == 0) {
            return Long.toString(n);
        }
        String number = value < 9.95 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.0f", value);
        return number.replaceAll("\\.0$", "") + units[unit];
    }

    /** A flat badge in SVG (Verdana 11px widths approximated per character). */
    static final class Svg {

        private Svg() {
        }

        static String render(Badge badge) {
            int left = width(badge.label()) + 10;
            int right = width(badge.message()) + 10;
            String color = switch (badge.color()) {
                case "blue" -> "#007ec6";
                case "red" -> "#e05d44";
                case "orange" -> "#fe7d37";
                default -> "#9f9f9f";
            };
            String label = escape(badge.label());
            String message = escape(badge.message());
            return """
                    <svg xmlns="http://www.w3.org/2000/svg" width="%1$d" height="20" role="img" aria-label="%2$s: %3$s">\
                    <title>%2$s: %3$s</title>\
                    <linearGradient id="s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>\
                    <clipPath id="r"><rect width="%1$d" height="20" rx="3" fill="#fff"/></clipPath>\
                    <g clip-path="url(#r)"><rect width="%4$d" height="20" fill="#555"/><rect x="%4$d" width="%5$d" height="20" fill="%6$s"/>\
                    <rect width="%1$d" height="20" fill="url(#s)"/></g>\
                    <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">\
                    <text x="%7$.1f" y="15" fill="#010101" fill-opacity=".3">%2$s</text><text x="%7$.1f" y="14">%2$s</text>\
                    <text x="%8$.1f" y="15" fill="#010101" fill-opacity=".3">%3$s</text><text x="%8$.1f" y="14">%3$s</text></g></svg>"""
                    .formatted(left + right, label, message, left, right, color, left / 2.0, left + right / 2.0);
        }

        private static int width(String text) {
            double width = 0;
            for (char c : text.toCharArray()) {
                width += "il.,:;|!'".indexOf(c) >= 0 ? 3.5 : "mwMW".indexOf(c) >= 0 ? 10 : Character.isUpperCase(c) ? 8 : 7;
            }
            return (int) Math.ceil(width);
        }

        private static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
