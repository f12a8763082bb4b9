package dev.pypianalytics.api;

import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.TypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Schema first: every type, field, argument, input field and enum value of graphql/ has a description. */
class SchemaDescriptionTests {

    @Test
    void everythingInTheSchemaIsDescribed() throws IOException {
        TypeDefinitionRegistry registry = new SchemaParser().parse(Files.readString(Path.of("graphql/schema.graphqls")));
        List<String> undescribed = new ArrayList<>();
        for (TypeDefinition<?> type : registry.types().values()) {
            check(type.getName(), description(type), undescribed);
            if (type instanceof ObjectTypeDefinition object) {
                for (FieldDefinition field : object.getFieldDefinitions()) {
                    check(type.getName() + "." + field.getName(), field.getDescription() == null ? null : field.getDescription().getContent(), undescribed);
                    for (InputValueDefinition argument : field.getInputValueDefinitions()) {
                        check(type.getName() + "." + field.getName() + "(" + argument.getName() + ")",
                                argument.getDescription() == null ? null : argument.getDescription().getContent(), undescribed);
                    }
                }
            }
            if (type instanceof InputObjectTypeDefinition input) {
                input.getInputValueDefinitions().forEach(value -> check(type.getName() + "." + value.getName(),
                        value.getDescription() == null ? null : value.getDescription().getContent(), undescribed));
            }
        }
        for (ScalarTypeDefinition scalar : registry.scalars().values()) {
            if (scalar.getSourceLocation() != null) {
                check(scalar.getName(), scalar.getDescription() == null ? null : scalar.getDescription().getContent(), undescribed);
            }
        }
        assertThat(registry.types()).containsKeys("Project", "Version", "DailyDownloads", "Trends", "DownloadFilter");
        assertThat(undescribed).isEmpty();
    }

    private static String description(TypeDefinition<?> type) {
        return switch (type) {
            case ObjectTypeDefinition object -> object.getDescription() == null ? null : object.getDescription().getContent();
            case InputObjectTypeDefinition input -> input.getDescription() == null ? null : input.getDescription().getContent();
            case EnumTypeDefinition enumeration -> enumeration.getDescription() == null ? null : enumeration.getDescription().getContent();
            default -> "";
        };
    }

    private static void check(String name, String description, List<String> undescribed) {
        if (description == null || description.isBlank()) {
            undescribed.add(name);
        }
    }
}
