package dev.pypianalytics.api;

import com.apollographql.federation.graphqljava.printer.ServiceSDLPrinter;
import dev.pypianalytics.config.ApiProperties;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.parser.Parser;
import org.springframework.graphql.server.WebGraphQlInterceptor;
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
import java.time.Duration;

/**
 * The gateway as an Apollo Federation 2 subgraph: the schema's {@code @link}, {@code @key} and
 * {@code @shareable} are honoured, {@code _service { sdl }} and {@code _entities} are added, and
 * {@code _entities} resolves projects through {@code ProjectController}'s {@code @EntityMapping}.
 *
 * <p>{@code GET /graphql/schema} serves the same subgraph SDL as {@code _service { sdl }} (with its
 * {@code extend schema @link(...)}), so that the file composes as it is with Apollo's composition and
 * other Federation 2 composers; committed as {@code graphql/schema.snapshot.graphql}.
 *
 * <p>A router's entity fetch ({@code _entities} and nothing else, answered without errors) may be kept by the
 * router's entity cache as long as a GET answer may be by any shared cache ({@code pypi.api.http-cache.max-age},
 * public); every other POST answer stays {@code no-store}.
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

    /** Runs inside {@code GraphQlOverGet.noStoreByDefault}, which leaves a Cache-Control set here alone. */
    @Bean
    @Order(1)
    WebGraphQlInterceptor cacheableEntityFetches(ApiProperties properties) {
        Duration maxAge = properties.httpCache().maxAge();
        return (request, chain) -> {
            boolean planAsked = request.getHeaders().containsHeader(QueryPlanInterceptor.HEADER)
                    || request.getExtensions().get(QueryPlanInterceptor.EXTENSION) != null;
            if (maxAge.isZero() || planAsked || !entitiesOnly(request.getDocument())) {
                return chain.next(request);
            }
            return chain.next(request).doOnNext(response -> {
                if (response.isValid() && response.getErrors().isEmpty() && !VolatileAnswer.marked(response)) {
                    response.getResponseHeaders().setCacheControl(CacheControl.maxAge(maxAge).cachePublic());
                }
            });
        };
    }

    /** Whether every operation of the document selects only {@code _entities} (and {@code __typename}). */
    static boolean entitiesOnly(String document) {
        if (document == null || !document.contains("_entities")) {
            return false;
        }
        Document parsed;
        try {
            parsed = Parser.parse(document);
        } catch (RuntimeException unparsable) {
            return false;
        }
        boolean any = false;
        for (OperationDefinition operation : parsed.getDefinitionsOfType(OperationDefinition.class)) {
            if (operation.getOperation() != OperationDefinition.Operation.QUERY) {
                return false;
            }
            for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
                if (!(selection instanceof Field field) || !(field.getName().equals("_entities") || field.getName().equals("__typename"))) {
                    return false;
                }
                any |= field.getName().equals("_entities");
            }
        }
        return any;
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
