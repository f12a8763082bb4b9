package dev.pypianalytics.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.net.URI;

/**
 * The pages for browsers, entirely from the gateway's own assets (built from npm packages by
 * {@code src/main/frontend/build.mjs} into {@code static/}), under a content security policy that allows
 * nothing from elsewhere: the dashboard at {@code /} ({@code static/app}) and GraphiQL at
 * {@code /graphiql} ({@code static/graphiql}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class BrowserPages {

    /** Scripts and connections only from here; GraphiQL sets element styles, hence inline styles. */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    @Bean
    RouterFunction<ServerResponse> browserPageRoutes() {
        Resource dashboard = new ClassPathResource("static/app/index.html");
        Resource graphiQl = new ClassPathResource("static/graphiql/index.html");
        return RouterFunctions.route()
                .GET("/", request -> page(dashboard))
                .GET("/graphiql", request -> page(graphiQl))
                .GET("/graphiql/", request -> ServerResponse.permanentRedirect(URI.create("/graphiql")).build())
                .build();
    }

    private static Mono<ServerResponse> page(Resource page) {
        return page.exists()
                ? ServerResponse.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache())
                        .header("Content-Security-Policy", POLICY).bodyValue(page)
                : ServerResponse.status(503).contentType(MediaType.TEXT_PLAIN)
                        .bodyValue("The browser pages' assets are not in this build (the Maven build makes them with node/npm).");
    }
}
