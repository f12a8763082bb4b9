package dev.pypianalytics.api;

import graphql.language.DescribedNode;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
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

    static final Path SCHEMA = Path.of("graphql/schema.graphqls");

    @Test
    void everythingInTheSchemaIsDescribed() throws IOException {
        TypeDefinitionRegistry registry = new SchemaParser().parse(Files.readString(SCHEMA));
        assertThat(registry.types()).containsKeys("Project", "Version", "DailyDownloads", "Trends", "DownloadFilter", "Granularity");
        assertThat(undescribed(registry)).isEmpty();
    }

    @Test
    void anEnumValueWithoutADescriptionIsFound() throws IOException {
        // The check itself, on the schema with one enum value's description taken out.
        String schema = Files.readString(SCHEMA);
        String withoutOne = schema.replaceFirst("(enum Dimension \\{\\s*)\"[^\"]*\"\\s*VERSION", "$1VERSION");
        assertThat(withoutOne).isNotEqualTo(schema);
        assertThat(undescribed(new SchemaParser().parse(withoutOne))).containsExactly("Dimension.VERSION");
    }

    /** Every named element without a description, as Type, Type.field, Type.field(argument) or Enum.VALUE. */
    static List<String> undescribed(TypeDefinitionRegistry registry) {
        List<String> undescribed = new ArrayList<>();
        for (TypeDefinition<?> type : registry.types().values()) {
            check(type.getName(), type, undescribed);
            List<FieldDefinition> fields = switch (type) {
                case ObjectTypeDefinition object -> object.getFieldDefinitions();
                case InterfaceTypeDefinition contract -> contract.getFieldDefinitions();
                default -> List.of();
            };
            for (FieldDefinition field : fields) {
                check(type.getName() + "." + field.getName(), field, undescribed);
                for (InputValueDefinition argument : field.getInputValueDefinitions()) {
                    check(type.getName() + "." + field.getName() + "(" + argument.getName() + ")", argument, undescribed);
                }
            }
            if (type instanceof InputObjectTypeDefinition input) {
                input.getInputValueDefinitions().forEach(value -> check(type.getName() + "." + value.getName(), value, undescribed));
            }
            if (type instanceof EnumTypeDefinition enumeration) {
                for (EnumValueDefinition value : enumeration.getEnumValueDefinitions()) {
                    check(type.getName() + "." + value.getName(), value, undescribed);
                }
            }
        }
        for (ScalarTypeDefinition scalar : registry.scalars().values()) {
            if (scalar.getSourceLocation() != null) {   // the built-in scalars have none
                check(scalar.getName(), scalar, undescribed);
            }
        }
        return undescribed;
    }

    private static void check(String name, Object node, List<String> undescribed) {
        if (!(node instanceof DescribedNode<?> described) || described.getDescription() == null
                || described.getDescription().getContent().isBlank()) {
            undescribed.add(name);
        }
    }
}
