package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.ingest.IngestException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * An http(s) URL that may carry credentials (user:password@, or a token in its query), kept apart from the text
 * everything else sees: {@link #shown()} (and {@link #toString()}) has the user information dropped and the values
 * of query parameters whose names look secret ({@code token}, {@code sig}, {@code key}, {@code X-Amz-Signature},
 * ...) replaced by {@code ***}. Only the HTTP request uses {@link #request()} and {@link #authorization()};
 * logs, errors, the follower's records and the ledger use the shown form.
 *
 * @param request       the URL to request, without user information
 * @param authorization the {@code Authorization} header for user information in the URL, or {@code null}
 * @param shown         the masked URL
 */
public record SafeUrl(URI request, String authorization, String shown) {

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(token|sig|key|secret|pass|pwd|auth|credential|session|"
            + "security|x-amz-|x-goog-).*");

    /** Parses an absolute http(s) URL; the error never repeats the URL itself. */
    public static SafeUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IngestException("Not a valid URL (at index " + e.getIndex() + "): " + mask(text));
        }
        return of(uri);
    }

    /** {@code reference} resolved against {@code base} (a manifest may list relative URLs). */
    public static SafeUrl resolve(SafeUrl base, String reference) {
        URI uri;
        try {
            uri = base.request().resolve(new URI(reference.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IngestException("Not a valid URL in the manifest " + base.shown() + ": " + mask(reference));
        }
        // A relative reference inherits the manifest's credentials; an absolute one brings its own.
        SafeUrl resolved = of(uri);
        return resolved.authorization() == null && base.authorization() != null && uri.getHost() != null
                && uri.getHost().equalsIgnoreCase(base.request().getHost())
                ? new SafeUrl(resolved.request(), base.authorization(), resolved.shown()) : resolved;
    }

    private static SafeUrl of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IngestException("Not an http(s) URL: " + mask(uri.toString()));
        }
        String authorization = null;
        URI request = uri;
        if (uri.getRawUserInfo() != null) {
            String user = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
            authorization = "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8));
            try {
                request = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getRawPath() == null ? null : uri.getPath(),
                        null, null);
                request = URI.create(request + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                        + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment()));
            } catch (URISyntaxException e) {
                throw new IngestException("Not a valid URL: " + mask(uri.toString()));
            }
        }
        return new SafeUrl(request, authorization, mask(uri.toString()));
    }

    /** The text of a URL with user information dropped and secret-looking query values masked. */
    public static String mask(String url) {
        String text = url.strip().replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#@]*@", "$1");
        int query = text.indexOf('?');
        if (query < 0) {
            return text;
        }
        int fragment = text.indexOf('#', query);
        String params = fragment < 0 ? text.substring(query + 1) : text.substring(query + 1, fragment);
        StringBuilder masked = new StringBuilder(text.substring(0, query + 1));
        String[] pairs = params.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i];
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            masked.append(i == 0 ? "" : "&");
            masked.append(equals >= 0 && SECRET_NAME.matcher(name).matches() ? name + "=***" : pair);
        }
        return fragment < 0 ? masked.toString() : masked + text.substring(fragment);
    }

    /** The last path segment, decoded, reduced to safe file-name characters (for a temporary copy). */
    String fileName() {
        String path = request.getPath() == null ? "" : request.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Override
    public String toString() {
        return shown;
    }
}
