package dev.pypianalytics.api;

import com.apollographql.federation.graphqljava.printer.ServiceSDLPrinter;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.graphql.data.federation.FederationSchemaFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * The gateway as an Apollo Federation 2 subgraph: the schema's {@code @link}, {@code @key} and
 * {@code @shareable} are honoured, {@code _service { sdl }} and {@code _entities} are added, and
 * {@code _entities} resolves projects through {@code ProjectController}'s {@code @EntityMapping}.
 *
 * <p>{@code GET /graphql/schema} serves the same subgraph SDL as {@code _service { sdl }} (with its
 * {@code extend schema @link(...)}), so that the file composes as it is with Apollo's composition and
 * other Federation 2 composers; committed as {@code graphql/schema.snapshot.graphql}.
 */
@Configuration(proxyBeanMethods = false)
class Federation {

    static final String SCHEMA_PATH = "/graphql/schema";

    @Bean
    FederationSchemaFactory federationSchemaFactory() {
        return new FederationSchemaFactory();
    }

    @Bean
    GraphQlSourceBuilderCustomizer federationSchema(FederationSchemaFactory factory) {
        return builder -> builder.schemaFactory(factory::createGraphQLSchema);
    }

    /** The subgraph SDL, printed once (the schema does not change while running). */
    @Bean
    @Order(-10)
    RouterFunction<ServerResponse> subgraphSchemaRoute(GraphQlSource source) {
        String sdl = ServiceSDLPrinter.generateServiceSDLV2(source.schema());
        MediaType text = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);
        return RouterFunctions.route()
                .GET(SCHEMA_PATH, request -> ServerResponse.ok().contentType(text).cacheControl(CacheControl.noCache()).bodyValue(sdl))
                .build();
    }
}
