package dev.pypianalytics.support;

import com.apollographql.federation.graphqljava.Federation;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import graphql.schema.idl.MockedWiringFactory;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which changes between two versions of a GraphQL schema break existing clients: a removed type, field,
 * argument, enum value or union member; a field type made looser for readers (non-null to nullable, or
 * another type); an argument or input field type made stricter for senders (nullable to non-null, or
 * another type); a new required argument or input field. Additions are safe.
 */
public final class SchemaCompatibility {

    private SchemaCompatibility() {
    }

    /**
     * A schema from its SDL. A Federation 2 subgraph SDL that imports the federation definitions rather than
     * defining them ({@code extend schema @link(...)} alone) is read as a router would, its custom scalars and type
     * resolvers stand-ins (only the shape matters here); one that defines them ({@code _Any}, {@code _Entity},
     * the directives), as {@code GET /graphql/schema} serves it, is complete as it is (federation-jvm would add
     * its own {@code _Any} and fail on the one already there).
     */
    public static GraphQLSchema parse(String sdl) {
        TypeDefinitionRegistry types = new SchemaParser().parse(sdl);
        if (sdl.contains("specs.apollo.dev/federation/") && types.getType("_Any").isEmpty()) {
            RuntimeWiring standIns = RuntimeWiring.newRuntimeWiring().wiringFactory(new MockedWiringFactory()).build();
            return Federation.transform(sdl, standIns).resolveEntityType(environment -> null).fetchEntities(environment -> null).build();
        }
        return UnExecutableSchemaGenerator.makeUnExecutableSchema(types);
    }

    /** The breaking changes from {@code before} to {@code after}, one sentence each; empty when compatible. */
    public static List<String> breakingChanges(GraphQLSchema before, GraphQLSchema after) {
        List<String> breaking = new ArrayList<>();
        for (GraphQLNamedType old : before.getAllTypesAsList()) {
            if (old.getName().startsWith("__")) {
                continue;
            }
            GraphQLNamedType now = (GraphQLNamedType) after.getType(old.getName());
            if (now == null) {
                breaking.add("type " + old.getName() + " was removed");
            } else if (!now.getClass().equals(old.getClass())) {
                breaking.add("type " + old.getName() + " changed kind");
            } else if (old instanceof GraphQLFieldsContainer fields) {
                compareFields(fields, (GraphQLFieldsContainer) now, breaking);
            } else if (old instanceof GraphQLInputObjectType input) {
                compareInput(input, (GraphQLInputObjectType) now, breaking);
            } else if (old instanceof GraphQLEnumType values) {
                for (GraphQLEnumValueDefinition value : values.getValues()) {
                    if (((GraphQLEnumType) now).getValue(value.getName()) == null) {
                        breaking.add("enum value " + old.getName() + "." + value.getName() + " was removed");
                    }
                }
            } else if (old instanceof GraphQLUnionType union) {
                List<String> members = ((GraphQLUnionType) now).getTypes().stream().map(GraphQLNamedType::getName).toList();
                union.getTypes().stream().map(GraphQLNamedType::getName).filter(member -> !members.contains(member))
                        .forEach(member -> breaking.add("union " + old.getName() + " lost member " + member));
            }
        }
        return breaking;
    }

    private static void compareFields(GraphQLFieldsContainer old, GraphQLFieldsContainer now, List<String> breaking) {
        for (GraphQLFieldDefinition field : old.getFieldDefinitions()) {
            String name = old.getName() + "." + field.getName();
            GraphQLFieldDefinition current = now.getFieldDefinition(field.getName());
            if (current == null) {
                breaking.add("field " + name + " was removed");
                continue;
            }
            if (!safeForReaders(field.getType(), current.getType())) {
                breaking.add("field " + name + " changed type from " + show(field.getType()) + " to " + show(current.getType()));
            }
            for (GraphQLArgument argument : field.getArguments()) {
                GraphQLArgument currentArgument = current.getArgument(argument.getName());
                if (currentArgument == null) {
                    breaking.add("argument " + name + "(" + argument.getName() + ") was removed");
                } else if (!safeForSenders(argument.getType(), currentArgument.getType())) {
                    breaking.add("argument " + name + "(" + argument.getName() + ") changed type from " + show(argument.getType())
                            + " to " + show(currentArgument.getType()));
                }
            }
            for (GraphQLArgument added : current.getArguments()) {
                if (field.getArgument(added.getName()) == null && GraphQLTypeUtil.isNonNull(added.getType()) && !added.hasSetDefaultValue()) {
                    breaking.add("argument " + name + "(" + added.getName() + ") was added as required");
                }
            }
        }
    }

    private static void compareInput(GraphQLInputObjectType old, GraphQLInputObjectType now, List<String> breaking) {
        for (GraphQLInputObjectField field : old.getFieldDefinitions()) {
            GraphQLInputObjectField current = now.getFieldDefinition(field.getName());
            String name = old.getName() + "." + field.getName();
            if (current == null) {
                breaking.add("input field " + name + " was removed");
            } else if (!safeForSenders(field.getType(), current.getType())) {
                breaking.add("input field " + name + " changed type from " + show(field.getType()) + " to " + show(current.getType()));
            }
        }
        for (GraphQLInputObjectField added : now.getFieldDefinitions()) {
            if (old.getFieldDefinition(added.getName()) == null && GraphQLTypeUtil.isNonNull(added.getType()) && !added.hasSetDefaultValue()) {
                breaking.add("input field " + old.getName() + "." + added.getName() + " was added as required");
            }
        }
    }

    /** A reader of the old type still understands the new one: the same, or made non-null. */
    private static boolean safeForReaders(GraphQLType old, GraphQLType now) {
        if (show(old).equals(show(now))) {
            return true;
        }
        return !(old instanceof GraphQLNonNull) && now instanceof GraphQLNonNull strict && show(old).equals(show(strict.getWrappedType()));
    }

    /** A sender of the old type is still accepted: the same, or made nullable. */
    private static boolean safeForSenders(GraphQLType old, GraphQLType now) {
        if (show(old).equals(show(now))) {
            return true;
        }
        return old instanceof GraphQLNonNull strict && !(now instanceof GraphQLNonNull) && show(strict.getWrappedType()).equals(show(now));
    }

    private static String show(GraphQLType type) {
        return Objects.toString(GraphQLTypeUtil.simplePrint(type));
    }
}
