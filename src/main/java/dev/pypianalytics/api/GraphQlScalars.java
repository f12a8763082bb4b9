package dev.pypianalytics.api;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.scalars.ExtendedScalars;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Locale;

/** Registers the schema's custom scalars. */
@Configuration(proxyBeanMethods = false)
class GraphQlScalars {

    @Bean
    RuntimeWiringConfigurer scalars() {
        return wiring -> wiring.scalar(ExtendedScalars.GraphQLLong).scalar(DATE).scalar(ExtendedScalars.DateTime);
    }

    /**
     * ISO 8601 calendar days, strictly: extended-scalars' {@code Date} resolves "2026-02-30" to 2026-02-28,
     * which would silently answer another question than the one asked.
     */
    static final GraphQLScalarType DATE = GraphQLScalarType.newScalar()
            .name("Date")
            .description("A calendar day, ISO 8601 (2026-03-31). Download days are UTC days.")
            .coercing(new StrictDate())
            .build();

    static final class StrictDate implements Coercing<LocalDate, String> {

        /** uuuu-MM-dd with the strict resolver: no day 30 in February, no month 13, four-digit years. */
        private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)
                .withResolverStyle(ResolverStyle.STRICT);

        @Override
        public String serialize(Object value, GraphQLContext context, Locale locale) {
            if (value instanceof LocalDate day) {
                return DAY.format(day);
            }
            throw new CoercingSerializeException("Expected a LocalDate, got " + (value == null ? "null" : value.getClass().getSimpleName()));
        }

        @Override
        public LocalDate parseValue(Object input, GraphQLContext context, Locale locale) {
            if (!(input instanceof String text)) {
                throw new CoercingParseValueException("A Date is a string like 2026-03-31.");
            }
            return parse(text, CoercingParseValueException::new);
        }

        @Override
        public LocalDate parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
            if (!(input instanceof StringValue text)) {
                throw new CoercingParseLiteralException("A Date is a string like 2026-03-31.");
            }
            return parse(text.getValue(), CoercingParseLiteralException::new);
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return StringValue.newStringValue(serialize(input, context, locale)).build();
        }

        private static LocalDate parse(String text, java.util.function.Function<String, RuntimeException> error) {
            if (text.length() != 10) {
                throw error.apply("'" + abbreviated(text) + "' is not a day like 2026-03-31.");
            }
            try {
                return LocalDate.parse(text, DAY);
            } catch (DateTimeException e) {
                throw error.apply("'" + text + "' is not a real calendar day (like 2026-03-31).");
            }
        }

        private static String abbreviated(String text) {
            return text.length() <= 40 ? text : text.substring(0, 40) + "…";
        }
    }
}
