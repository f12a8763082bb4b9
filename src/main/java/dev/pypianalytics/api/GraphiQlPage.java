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

/**
 * GraphiQL at {@code /graphiql}, entirely from the gateway's own assets ({@code static/graphiql},
 * {@code static/vendor}, built from npm packages by {@code src/main/frontend/build.mjs}), under a content
 * security policy that allows nothing from elsewhere.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class GraphiQlPage {

    /** Scripts and connections only from here; GraphiQL sets element styles, hence inline styles. */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    @Bean
    RouterFunction<ServerResponse> graphiQlRoutes() {
        Resource page = new ClassPathResource("static/graphiql/index.html");
        return RouterFunctions.route()
                .GET("/graphiql", request -> page.exists()
                        ? ServerResponse.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache())
                                .header("Content-Security-Policy", POLICY).bodyValue(page)
                        : ServerResponse.status(503).contentType(MediaType.TEXT_PLAIN)
                                .bodyValue("GraphiQL's assets are not in this build (the Maven build makes them with node/npm)."))
                .GET("/graphiql/", request -> ServerResponse.permanentRedirect(java.net.URI.create("/graphiql")).build())
                .build();
    }
}
