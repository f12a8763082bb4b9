package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.ingest.IngestException;
import dev.pypianalytics.ingest.Source;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files at an http(s) location, which plain HTTP cannot list, so they are named one of two ways:
 * <ul>
 *   <li>a <b>manifest</b>: a URL answering with the file URLs, in loading order; text (one URL a line, optionally
 *       followed by its size in bytes and its ETag, blank lines and {@code #} comments ignored) or JSON (an array of
 *       URLs or of objects {@code {"url", "size", "etag", "modified"}}, or an object with such an array under
 *       {@code "files"}); relative URLs are resolved against the manifest's. A file is recognised by its URL and the
 *       size/ETag/modified the manifest gives (by its URL alone when it gives none);</li>
 *   <li>a <b>date template</b>: {@code https://host/pypi-{date}-{n}.parquet} with {@code {date}} (yyyy-MM-dd) or
 *       {@code {date:PATTERN}} (a java.time pattern such as {@code yyyy/MM/dd}) and optionally {@code {n}} or
 *       {@code {n:WIDTH}} (0, 1, 2, ... zero-padded to WIDTH digits). Probe rule: every day from {@code from} to
 *       today (UTC) is probed with HEAD requests for n = 0, 1, 2, ... until the first 404 (one file a day without
 *       {@code {n}}); a file is recognised by its URL with the size, Last-Modified and ETag its HEAD answer gives.
 *       Days older than {@link #SETTLED_AFTER} are probed once per run for files not handled yet (a handled file of
 *       such a day is not asked about again); recent days are probed on every poll.</li>
 * </ul>
 * A listed file is ready at once (publishing its URL says it is complete). Fetching downloads it to a temporary
 * file, which is then read like a local one, so credentials never reach the warehouse; if the ETag (or size) it
 * comes with differs from what the listing said, it changed in between and is tried again. Server errors, 429 and
 * unreachable hosts are outages (waited for); 404/403/410 for a listed file count as failed attempts.
 */
public final class HttpSource implements FollowSource {

    /** Days older than this (before today, UTC) are settled: probed once per run. */
    public static final int SETTLED_AFTER = 2;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(date|n)(?::([^}]*))?}");

    private final SafeUrl manifest;
    private final String template;
    private final LocalDate from;
    private final Clock clock;
    private final HttpClient client;
    private final Duration timeout;
    private LocalDate probedThrough;

    private HttpSource(SafeUrl manifest, String template, LocalDate from, Clock clock, Duration timeout) {
        this.manifest = manifest;
        this.template = template;
        this.from = from;
        this.clock = clock;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Files listed by the manifest at {@code url}. */
    public static HttpSource manifest(String url, Duration timeout) {
        return new HttpSource(SafeUrl.parse(url), null, null, Clock.systemUTC(), timeout);
    }

    /** Files named by a date template, probed from {@code from} (null: {@link #SETTLED_AFTER} days before today) to today. */
    public static HttpSource template(String template, LocalDate from, Clock clock, Duration timeout) {
        SafeUrl.parse(expand(template, LocalDate.of(2000, 1, 1), 0)); // a valid http(s) URL once filled in
        if (!template.contains("{date")) {
            throw new IngestException("The URL template " + SafeUrl.mask(template) + " has no {date} placeholder: give one, "
                    + "e.g. https://host/pypi-{date}-{n}.parquet, or list the files in a manifest.");
        }
        return new HttpSource(null, template, from, clock, timeout);
    }

    /** A template filled in for one day and index. */
    static String expand(String template, LocalDate day, int n) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder url = new StringBuilder();
        while (matcher.find()) {
            String value;
            String argument = matcher.group(2);
            if (matcher.group(1).equals("date")) {
                try {
                    value = argument == null ? day.toString() : day.format(DateTimeFormatter.ofPattern(argument, Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IngestException("Bad date pattern {date:" + argument + "} in the URL template: " + e.getMessage());
                }
            } else {
                int width = argument == null || argument.isBlank() ? 1 : parseWidth(argument);
                value = String.format(Locale.ROOT, "%0" + width + "d", n);
            }
            matcher.appendReplacement(url, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(url);
        return url.toString();
    }

    private static int parseWidth(String argument) {
        try {
            int width = Integer.parseInt(argument.strip());
            if (width < 1 || width > 20) {
                throw new NumberFormatException();
            }
            return width;
        } catch (NumberFormatException e) {
            throw new IngestException("Bad {n:" + argument + "} in the URL template: give a width of 1..20 digits.");
        }
    }

    @Override
    public String describe() {
        return manifest != null ? "manifest " + manifest.shown() : "URL template " + SafeUrl.mask(template);
    }

    @Override
    public Map<String, FollowState.FileRecord> known(FollowState state) {
        probedThrough = null; // a new run probes the settled days once more
        return state.startingWith("http");
    }

    @Override
    public List<Entry> list(Map<String, FollowState.FileRecord> handled) {
        return manifest != null ? listManifest() : probe(handled);
    }

    private List<Entry> listManifest() {
        HttpResponse<String> response = send(manifest, "GET", HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        String body = response.body().strip();
        List<Entry> entries = new ArrayList<>();
        if (body.startsWith("[") || body.startsWith("{")) {
            JsonNode root;
            try {
                root = JsonMapper.builder().build().readTree(body);
            } catch (RuntimeException e) {
                throw new Unavailable("The manifest " + manifest.shown() + " is not valid JSON", false);
            }
            JsonNode files = root.isArray() ? root : root.path("files");
            if (!files.isArray()) {
                throw new Unavailable("The manifest " + manifest.shown() + " has no \"files\" array", false);
            }
            for (JsonNode file : files) {
                if (file.isString()) {
                    entries.add(entry(file.asString(), -1, 0, ""));
                } else {
                    String url = file.path("url").asString("");
                    String modified = file.path("modified").asString("");
                    entries.add(entry(url, file.path("size").asLong(-1), modified.isEmpty() ? 0 : Instant.parse(modified).toEpochMilli(),
                            file.path("etag").asString("")));
                }
            }
            return entries;
        }
        for (String line : body.split("\\R")) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] fields = text.split("\\s+");
            long size = fields.length > 1 && fields[1].matches("\\d+") ? Long.parseLong(fields[1]) : -1;
            String etag = fields.length > 2 ? fields[2] : fields.length > 1 && size < 0 ? fields[1] : "";
            entries.add(entry(fields[0], size, 0, etag));
        }
        return entries;
    }

    private Entry entry(String reference, long size, long modified, String etag) {
        SafeUrl url = SafeUrl.resolve(manifest, reference);
        return new Entry(url.shown(), url.fileName(), new Observation(size, modified, etag), true, url);
    }

    private List<Entry> probe(Map<String, FollowState.FileRecord> handled) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate settled = today.minusDays(SETTLED_AFTER);
        LocalDate start = from != null ? from : settled;
        if (probedThrough != null && probedThrough.isAfter(start)) {
            start = probedThrough;
        }
        boolean numbered = template.contains("{n");
        List<Entry> entries = new ArrayList<>();
        for (LocalDate day = start; !day.isAfter(today); day = day.plusDays(1)) {
            for (int n = 0; numbered || n == 0; n++) {
                SafeUrl url = SafeUrl.parse(expand(template, day, n));
                if (day.isBefore(settled) && handled.containsKey(url.shown())) {
                    continue; // a settled day's handled file: not asked about again
                }
                HttpResponse<Void> head = send(url, "HEAD", HttpResponse.BodyHandlers.discarding());
                if (head == null) {
                    break; // the first missing index ends the day
                }
                entries.add(new Entry(url.shown(), url.fileName(), observation(head.headers()), true, url));
            }
        }
        probedThrough = settled.isAfter(start) ? settled : start;
        return entries;
    }

    @Override
    public Fetched fetch(Entry entry) {
        SafeUrl url = entry.url();
        Path temporary;
        try {
            temporary = Files.createTempFile("pypi-follow-", "-" + url.fileName());
        } catch (IOException e) {
            throw new Unavailable("Cannot make a temporary file for " + url.shown() + ": " + e.getMessage(), true);
        }
        try {
            HttpResponse<Path> response = send(url, "GET", HttpResponse.BodyHandlers.ofFile(temporary));
            if (response == null) {
                throw new Unavailable("GET " + url.shown() + ": HTTP 404 (listed, but not there)", false);
            }
            Observation listed = entry.observation();
            Observation got = observation(response.headers());
            if (!listed.etag().isEmpty() && !got.etag().isEmpty() && !listed.etag().equals(got.etag())) {
                throw new Unavailable(url.shown() + " changed between its listing (ETag " + listed.etag() + ") and its download (ETag "
                        + got.etag() + "); it is listed again", false);
            }
            long size = Files.size(temporary);
            if (listed.size() >= 0 && listed.size() != size) {
                throw new Unavailable(url.shown() + " has " + size + " bytes, its listing said " + listed.size()
                        + " (changed or cut short); it is tried again", false);
            }
            Source source = new Source(temporary.toString(), false, Source.formatOf(url.fileName()), Source.compressionOf(url.fileName()),
                    url.shown());
            return new Fetched() {
                @Override
                public Source source() {
                    return source;
                }

                @Override
                public void close() {
                    deleteQuietly(temporary);
                }
            };
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new Unavailable("Cannot keep the download of " + url.shown() + ": " + e.getMessage(), true);
        } catch (RuntimeException e) {
            deleteQuietly(temporary);
            throw e;
        }
    }

    /**
     * Sends a request; {@code null} for 404 (not there: the end of a probe). Other failures throw {@link Unavailable}
     * with the masked URL (outage for 5xx, 429 and network errors).
     */
    private <T> HttpResponse<T> send(SafeUrl url, String method, HttpResponse.BodyHandler<T> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.request()).timeout(timeout).method(method, HttpRequest.BodyPublishers.noBody());
        if (url.authorization() != null) {
            request.header("Authorization", url.authorization());
        }
        HttpResponse<T> response;
        try {
            response = client.send(request.build(), body);
        } catch (IOException e) {
            throw new Unavailable(method + " " + url.shown() + " failed: " + e.getClass().getSimpleName(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(method + " " + url.shown() + " was interrupted", true);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response;
        }
        if (status == 404 || status == 410) {
            if (url == manifest) {
                throw new Unavailable("GET " + url.shown() + ": HTTP " + status + " (no manifest there)", false);
            }
            return null;
        }
        throw new Unavailable(method + " " + url.shown() + ": HTTP " + status, status >= 500 || status == 429 || status == 408);
    }

    private static Observation observation(HttpHeaders headers) {
        long size = headers.firstValueAsLong("Content-Length").orElse(-1);
        long modified = headers.firstValue("Last-Modified").map(HttpSource::httpDate).orElse(0L);
        return new Observation(size, modified, headers.firstValue("ETag").orElse(""));
    }

    private static long httpDate(String text) {
        try {
            return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A temporary file; the system cleans its temporary folder.
        }
    }
}
