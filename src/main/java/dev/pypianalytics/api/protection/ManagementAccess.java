package dev.pypianalytics.api.protection;

import dev.pypianalytics.config.ManagementProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Keeps the management endpoints ({@code /actuator/**}) off the public interface. Anyone may
 * {@code GET}/{@code HEAD} {@code /actuator/health}, which answers the status only (the health endpoint
 * is configured with {@code show-details: never} and {@code show-components: never}); the details
 * ({@code /actuator/health/details}, a health group that shows everything), {@code /actuator/prometheus}
 * and everything else under the actuator's paths need {@code Authorization: Bearer <token>} whose SHA-256
 * is {@code pypi.management.token-sha256}. Without a configured token they are not served here at all
 * (404). With a separate {@code management.server.port} the actuator is not on the public port in the
 * first place, and this filter steps aside: that port is the access control.
 *
 * <p>Not Spring Security: it would take over every route (CSRF on {@code POST /graphql}, its own caching
 * headers over the GET answers' {@code Cache-Control}) to protect one path prefix with one token. Boot's
 * own "details when authorized" needs Spring Security's context, hence the public/details split is made
 * with a health group instead.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class ManagementAccess implements WebFilter {

    private final boolean separateManagementServer;
    private final List<RoutedPath> guarded;
    private final RoutedPath publicHealth;
    private final byte[] tokenSha256;

    /** Without {@link PathMappedEndpoints} no endpoint is served over HTTP: nothing to guard. */
    @Autowired
    public ManagementAccess(ManagementProperties properties, ObjectProvider<PathMappedEndpoints> endpoints, Environment environment) {
        this(properties, endpoints.getIfAvailable(() -> new PathMappedEndpoints("", List::of)), environment);
    }

    private ManagementAccess(ManagementProperties properties, PathMappedEndpoints endpoints, Environment environment) {
        this(ManagementPortType.get(environment) == ManagementPortType.DIFFERENT, endpoints.getBasePath(),
                endpoints.getAllPaths(), endpoints.getPath(EndpointId.of("health")), properties.tokenSha256());
    }

    /**
     * @param basePath      the actuator's base path ({@code /actuator}); empty when it is the root
     * @param endpointPaths each endpoint's path ({@code /actuator/prometheus}, ...)
     * @param healthPath    the health endpoint's path, the one answered to anyone; null if not exposed
     * @param tokenSha256   hex SHA-256 of the token; null = no token
     */
    ManagementAccess(boolean separateManagementServer, String basePath, Iterable<String> endpointPaths, String healthPath,
                     String tokenSha256) {
        this.separateManagementServer = separateManagementServer;
        List<RoutedPath> paths = new ArrayList<>();
        RoutedPath base = RoutedPath.of(basePath == null ? "" : basePath);
        if (!base.segments().isEmpty()) {
            paths.add(base);
        }
        endpointPaths.forEach(path -> paths.add(RoutedPath.of(path)));
        this.guarded = List.copyOf(paths);
        this.publicHealth = healthPath == null ? null : RoutedPath.of(healthPath);
        this.tokenSha256 = tokenSha256 == null ? null : HexFormat.of().parseHex(tokenSha256.toLowerCase(Locale.ROOT));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (separateManagementServer) {
            return chain.filter(exchange);
        }
        RoutedPath path = RoutedPath.of(exchange.getRequest());
        if (guarded.stream().noneMatch(path::isWithin)) {
            return chain.filter(exchange);
        }
        HttpMethod method = exchange.getRequest().getMethod();
        if (path.equals(publicHealth) && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
            return chain.filter(exchange);
        }
        String presented = bearerToken(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (tokenSha256 != null && presented != null && MessageDigest.isEqual(sha256(presented), tokenSha256)) {
            return chain.filter(exchange);
        }
        return refuse(exchange.getResponse(), presented != null);
    }

    /** The token of {@code Bearer <token>} (the scheme in any case, RFC 9110); null when there is none. */
    private static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    /**
     * Both sides are hashed to 32 bytes and compared with {@link MessageDigest#isEqual}, which takes the same
     * time wherever the first difference is: the answer time says nothing about how much of a guess was right.
     */
    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Mono<Void> refuse(ServerHttpResponse response, boolean tokenSent) {
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setCacheControl(CacheControl.noStore());
        String body;
        if (tokenSha256 == null) {
            // Nothing can open them on this port: as if they were not here.
            response.setStatusCode(HttpStatus.NOT_FOUND);
            body = "{\"status\":404,\"error\":\"Not Found\",\"message\":\"Management endpoints are served on the management port "
                    + "or with a token (see the README, Running it in public).\"}";
        } else {
            response.setStatusCode(HttpStatus.UNAUTHORIZED);
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"management\"" + (tokenSent ? ", error=\"invalid_token\"" : ""));
            body = "{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"Management endpoints need Authorization: Bearer <token>.\"}";
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
    }
}
