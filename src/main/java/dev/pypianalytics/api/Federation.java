package dev.pypianalytics.api;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.data.federation.FederationSchemaFactory;

/**
 * The gateway as an Apollo Federation 2 subgraph: the schema's {@code @link}, {@code @key} and
 * {@code @shareable} are honoured, {@code _service { sdl }} and {@code _entities} are added, and
 * {@code _entities} resolves projects through {@code ProjectController}'s {@code @EntityMapping}.
 */
@Configuration(proxyBeanMethods = false)
class Federation {

    @Bean
    FederationSchemaFactory federationSchemaFactory() {
        return new FederationSchemaFactory();
    }

    @Bean
    GraphQlSourceBuilderCustomizer federationSchema(FederationSchemaFactory factory) {
        return builder -> builder.schemaFactory(factory::createGraphQLSchema);
    }
}
