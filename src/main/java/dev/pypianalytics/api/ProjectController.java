package dev.pypianalytics.api;

import dev.pypianalytics.downloads.ProjectDownloads;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** {@code Query.project} and the fields of {@code Project}: arguments in, the downloads component out. */
@Controller
class ProjectController {

    private final ProjectDownloads downloads;

    ProjectController(ProjectDownloads downloads) {
        this.downloads = downloads;
    }

    @QueryMapping
    Mono<Project> project(@Argument String name) {
        ProjectName projectName = ProjectName.of(name);
        return downloads.exists(projectName.value())
                .filter(Boolean::booleanValue)
                .map(found -> new Project(projectName.value()));
    }

    @SchemaMapping
    Mono<Long> totalDownloads(Project project) {
        return downloads.total(project.name());
    }

    /** The GraphQL {@code Project}; further fields are resolved on demand. */
    record Project(String name) {
    }
}
