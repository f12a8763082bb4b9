package dev.pypianalytics.api;

import dev.pypianalytics.api.protection.DocumentCost;
import dev.pypianalytics.config.ApiProperties;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.EnumValue;
import graphql.language.FieldDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.IntValue;
import graphql.language.ObjectTypeDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the schema tells routers (Apollo/Hive demand control and cache hints) is what the gateway itself
 * enforces: each field's {@code @cost} is the statements {@link FieldRules} counts for it times
 * {@link DocumentCost#STATEMENT_COST}; every list {@link FieldRules} sizes has a {@code @listSize} whose
 * slicing argument's default, or assumed size, is FieldRules' own; the {@code @cacheControl} max-age is the
 * HTTP cache's default. Two sources written apart, checked against each other.
 */
class SchemaDirectivesTests {

    private static final java.util.Set<String> METADATA = ProjectMetadataFields.FIELDS.keySet();

    @Test
    void costsAndListSizesAreTheGatewaysOwn() throws IOException {
        TypeDefinitionRegistry registry = new SchemaParser().parse(Files.readString(SchemaDescriptionTests.SCHEMA));
        List<String> problems = new ArrayList<>();
        int costed = 0;
        int sized = 0;
        for (ObjectTypeDefinition type : registry.getTypes(ObjectTypeDefinition.class)) {
            for (FieldDefinition field : type.getFieldDefinitions()) {
                String coordinate = type.getName() + "." + field.getName();
                Map<String, Object> defaults = defaults(field);
                int statements = FieldRules.statements(type.getName(), field.getName(), defaults, null).count();
                Directive cost = field.getDirectives("cost").stream().findFirst().orElse(null);
                if (type.getName().equals("Project") && METADATA.contains(field.getName())) {
                    // One shared look-up per request whichever metadata fields are asked: no static weight per field.
                    if (cost != null) {
                        problems.add(coordinate + " is a metadata field but has @cost");
                    }
                } else if (statements == 0 && cost != null) {
                    problems.add(coordinate + " sends no statement but has @cost");
                } else if (statements > 0) {
                    long expected = statements * DocumentCost.STATEMENT_COST;
                    if (cost == null || intArgument(cost, "weight") != expected) {
                        problems.add(coordinate + " sends " + statements + " statements: @cost(weight: " + expected + ") expected, found "
                                + (cost == null ? "none" : "weight " + intArgument(cost, "weight")));
                    }
                    costed++;
                }
                long items = FieldRules.items(type.getName(), field.getName(), defaults);
                Directive listSize = field.getDirectives("listSize").stream().findFirst().orElse(null);
                if (items == 1 || coordinate.equals("Query._entities")) {
                    if (listSize != null) {
                        problems.add(coordinate + " is not a sized list but has @listSize");
                    }
                    continue;
                }
                sized++;
                if (listSize == null) {
                    problems.add(coordinate + " is a list of up to " + items + " items without @listSize");
                    continue;
                }
                if (booleanArgument(listSize, "requireOneSlicingArgument")) {
                    // Apollo's default (true) would have routers refuse a query that leaves the argument to its default.
                    problems.add(coordinate + ": requireOneSlicingArgument: false expected (slicing arguments have defaults)");
                }
                List<String> slicing = stringList(listSize, "slicingArguments");
                if (!slicing.isEmpty()) {
                    // The slicing argument's default is what FieldRules assumes when it is absent (downloadsBy: top + "other").
                    long fromDefault = ((Number) defaults.get(slicing.getFirst())).longValue();
                    long allowance = coordinate.equals("Project.downloadsBy") ? 1 : 0;
                    if (fromDefault + allowance != items) {
                        problems.add(coordinate + ": default " + slicing.getFirst() + " " + fromDefault + ", FieldRules assumes " + items);
                    }
                } else if (coordinate.equals("Query.compare")) {
                    if (intArgument(listSize, "assumedSize") != FieldRules.MAX_COMPARED) {
                        problems.add(coordinate + ": assumedSize should be the most names compare takes");
                    }
                } else if (intArgument(listSize, "assumedSize") != items) {
                    problems.add(coordinate + ": assumedSize " + intArgument(listSize, "assumedSize") + ", FieldRules assumes " + items);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(costed).as("fields costed").isGreaterThan(20);
        assertThat(sized).as("lists sized").isGreaterThan(12);
    }

    @Test
    void theCacheHintIsTheHttpCachesDefault() throws IOException {
        TypeDefinitionRegistry registry = new SchemaParser().parse(Files.readString(SchemaDescriptionTests.SCHEMA));
        Directive hint = registry.getType("Query", ObjectTypeDefinition.class).orElseThrow().getDirectives("cacheControl").getFirst();
        ApiProperties.HttpCache defaults = new Binder(new MapConfigurationPropertySource())
                .bindOrCreate("pypi.api.http-cache", ApiProperties.HttpCache.class);
        assertThat((long) intArgument(hint, "maxAge")).isEqualTo(defaults.maxAge().toSeconds());
        assertThat(((EnumValue) hint.getArgument("scope").getValue()).getName()).isEqualTo("PUBLIC");
    }

    private static Map<String, Object> defaults(FieldDefinition field) {
        Map<String, Object> defaults = new HashMap<>();
        for (InputValueDefinition argument : field.getInputValueDefinitions()) {
            Value<?> value = argument.getDefaultValue();
            if (value instanceof IntValue number) {
                defaults.put(argument.getName(), number.getValue().longValue());
            } else if (value instanceof EnumValue name) {
                defaults.put(argument.getName(), name.getName());
            }
        }
        return defaults;
    }

    private static int intArgument(Directive directive, String name) {
        Argument argument = directive.getArgument(name);
        return argument == null ? -1 : ((IntValue) argument.getValue()).getValue().intValue();
    }

    private static boolean booleanArgument(Directive directive, String name) {
        Argument argument = directive.getArgument(name);
        return argument == null || ((graphql.language.BooleanValue) argument.getValue()).isValue();
    }

    private static List<String> stringList(Directive directive, String name) {
        Argument argument = directive.getArgument(name);
        if (argument == null) {
            return List.of();
        }
        return ((ArrayValue) argument.getValue()).getValues().stream().map(value -> ((StringValue) value).getValue()).toList();
    }
}
