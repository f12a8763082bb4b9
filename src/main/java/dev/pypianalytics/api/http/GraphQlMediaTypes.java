package dev.pypianalytics.api.http;

import org.jspecify.annotations.Nullable;
import org.springframework.graphql.MediaTypes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the GraphQL endpoint reads and writes, as the GraphQL-over-HTTP spec has it: request bodies are
 * {@code application/json} in UTF-8, uncompressed; answers are {@code application/graphql-response+json}
 * or {@code application/json}, whichever the client's {@code Accept} prefers ({@code application/json} for
 * no {@code Accept} or a wildcard, as legacy clients expect).
 */
public final class GraphQlMediaTypes {

    public static final MediaType GRAPHQL_RESPONSE = MediaTypes.APPLICATION_GRAPHQL_RESPONSE;

    static final String ACCEPTED_RESPONSES = GRAPHQL_RESPONSE + " or " + MediaType.APPLICATION_JSON;
    static final String EXAMPLE = "{\"query\": \"{ __typename }\"}";

    private static final MediaType APPLICATION_GRAPHQL = new MediaType("application", "graphql");

    private GraphQlMediaTypes() {
    }

    /**
     * The media type of the answer to a request with these {@code Accept} header values: the supported one
     * the client ranks highest ({@code q}), in the order it lists them on a tie.
     *
     * @throws RequestRejected 406 when the header cannot be read or allows neither type
     */
    public static MediaType responseType(List<String> acceptHeaders) {
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(acceptHeaders);
        } catch (InvalidMediaTypeException e) {
            throw new RequestRejected(HttpStatus.NOT_ACCEPTABLE, "The Accept header could not be read (" + shortened(e.getMessage())
                    + "); this endpoint answers " + ACCEPTED_RESPONSES + ".");
        }
        if (accepted.isEmpty()) {
            return MediaType.APPLICATION_JSON;
        }
        // List.sort is stable: among equal q, the client's own order stands.
        List<MediaType> byPreference = accepted.stream().filter(type -> type.getQualityValue() > 0)
                .sorted(Comparator.comparingDouble(MediaType::getQualityValue).reversed()).toList();
        for (MediaType type : byPreference) {
            if (type.includes(MediaType.APPLICATION_JSON)) {
                return MediaType.APPLICATION_JSON;
            }
            if (type.includes(GRAPHQL_RESPONSE)) {
                return GRAPHQL_RESPONSE;
            }
        }
        throw new RequestRejected(HttpStatus.NOT_ACCEPTABLE, "This endpoint answers " + ACCEPTED_RESPONSES
                + "; the Accept header (" + shortened(String.join(", ", acceptHeaders)) + ") allows neither.");
    }

    /** {@link #responseType}, or {@code application/json} for an answer that must be sent whatever the header says. */
    public static MediaType responseTypeOrJson(List<String> acceptHeaders) {
        try {
            return responseType(acceptHeaders);
        } catch (RequestRejected notAcceptable) {
            return MediaType.APPLICATION_JSON;
        }
    }

    /**
     * Checks the {@code Content-Type} of a {@code POST}: {@code application/json}, in UTF-8 if a charset is named.
     *
     * @throws RequestRejected 415 (with {@code Accept: application/json}) otherwise
     */
    public static void requireJsonBody(@Nullable String contentTypeHeader) {
        if (contentTypeHeader == null || contentTypeHeader.isBlank()) {
            throw unsupported("The request has no Content-Type; send Content-Type: application/json with a JSON object such as "
                    + EXAMPLE + ".");
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentTypeHeader);
        } catch (InvalidMediaTypeException e) {
            throw unsupported("The Content-Type header could not be read (" + shortened(e.getMessage()) + "); send Content-Type: application/json.");
        }
        if (type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)) {
            String charset = type.getParameter("charset");
            if (charset != null && !StandardCharsets.UTF_8.name().equalsIgnoreCase(unquote(charset))) {
                throw unsupported("Request bodies are read as UTF-8 (as JSON must be); send Content-Type: application/json"
                        + " or application/json; charset=utf-8, not charset=" + shortened(unquote(charset)) + ".");
            }
            return;
        }
        if (type.equalsTypeAndSubtype(APPLICATION_GRAPHQL)) {
            throw unsupported("Content-Type application/graphql is not accepted: send the document inside JSON, with "
                    + "Content-Type: application/json and a body such as " + EXAMPLE + ".");
        }
        throw unsupported("Content-Type " + shortened(type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT)
                + " is not accepted; send Content-Type: application/json with a JSON object such as " + EXAMPLE + ".");
    }

    /**
     * Checks that the body is not compressed: a gzip'd body would have to be inflated under its own limit,
     * and a GraphQL request is small.
     *
     * @throws RequestRejected 415 (with {@code Accept-Encoding: identity}) for any coding but {@code identity}
     */
    public static void requireUncompressed(List<String> contentEncodingHeaders) {
        for (String header : contentEncodingHeaders) {
            for (String coding : header.split(",")) {
                String name = coding.strip();
                if (!name.isEmpty() && !name.equalsIgnoreCase("identity")) {
                    throw new RequestRejected(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Compressed request bodies (Content-Encoding: "
                            + name + ") are not accepted; send the body uncompressed.")
                            .header(HttpHeaders.ACCEPT_ENCODING, "identity");
                }
            }
        }
    }

    private static RequestRejected unsupported(String message) {
        return new RequestRejected(HttpStatus.UNSUPPORTED_MEDIA_TYPE, message).header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE);
    }

    /** A client's header, quoted back to it within reason. */
    static String shortened(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
