package dev.pypianalytics.api;

import dev.pypianalytics.api.types.Project;
import dev.pypianalytics.downloads.ProjectMetadata;
import graphql.schema.idl.RuntimeWiring;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.function.Function;

/**
 * The metadata fields of {@code Project} (summary, latest version, license, ...): each is one value of the
 * project's metadata, looked up once per request for all its projects and all these fields
 * ({@link ProjectLoaders#METADATA}).
 */
@Component
class ProjectMetadataFields implements RuntimeWiringConfigurer {

    /** Field name → its value in the metadata. */
    static final Map<String, Function<ProjectMetadata.Metadata, Object>> FIELDS = Map.of(
            "summary", ProjectMetadata.Metadata::summary,
            "latestVersion", ProjectMetadata.Metadata::latestVersion,
            "license", ProjectMetadata.Metadata::license,
            "homePage", ProjectMetadata.Metadata::homePage,
            "author", ProjectMetadata.Metadata::author,
            "requiresPython", ProjectMetadata.Metadata::requiresPython,
            "firstDownload", ProjectMetadata.Metadata::firstDownload,
            "lastDownload", ProjectMetadata.Metadata::lastDownload,
            "latestUploadedVersion", ProjectMetadata.Metadata::latestUploadedVersion,
            "lastUpload", ProjectMetadata.Metadata::lastUpload);

    @Override
    public void configure(RuntimeWiring.Builder wiring) {
        wiring.type("Project", type -> {
            FIELDS.forEach((field, value) -> type.dataFetcher(field, environment -> {
                Project project = environment.getSource();
                return ProjectLoaders.METADATA.load(environment, project.name())
                        .thenApply(metadata -> metadata == null ? null : value.apply(metadata));
            }));
            return type;
        });
    }
}
