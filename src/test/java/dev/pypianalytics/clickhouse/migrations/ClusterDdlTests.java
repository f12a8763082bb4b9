package dev.pypianalytics.clickhouse.migrations;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema's DDL for a self-managed cluster, over the repository's own sql/ files. */
class ClusterDdlTests {

    /** An engine of the MergeTree family that is not replicated, anywhere in a statement. */
    private static final Pattern UNREPLICATED = Pattern.compile("(?i)ENGINE\\s*=\\s*(?!Replicated)\\w*MergeTree");

    @Test
    void withoutAClusterTheFilesRunAsWritten() throws IOException {
        for (MigrationFile file : files()) {
            assertThat(ClusterDdl.statement(file.statement(), "")).isEqualTo(file.statement());
        }
        assertThat(ClusterDdl.createDatabase("pypi", "")).isEqualTo("CREATE DATABASE IF NOT EXISTS `pypi`");
    }

    @Test
    void onAClusterEveryMergeTreeTableIsReplicatedAndKeepsItsOwnArguments() throws IOException {
        List<String> unreplicated = new ArrayList<>();
        int tables = 0;
        for (MigrationFile file : files()) {
            String clustered = ClusterDdl.statement(file.statement(), "main");
            if (UNREPLICATED.matcher(clustered).find()) {
                unreplicated.add(file.name());
            }
            if (UNREPLICATED.matcher(file.statement()).find()) {
                tables++;
                // Only the engine's name changes: the rest of the statement is as written.
                assertThat(clustered.replaceAll("Replicated(\\w*MergeTree)", "$1")).isEqualTo(file.statement());
            }
        }
        assertThat(unreplicated).isEmpty();
        assertThat(tables).as("MergeTree tables in sql/").isGreaterThan(20);
        assertThat(ClusterDdl.statement("CREATE TABLE t (a Int64, v UInt64) ENGINE = ReplacingMergeTree(v) ORDER BY a", "main"))
                .isEqualTo("CREATE TABLE t (a Int64, v UInt64) ENGINE = ReplicatedReplacingMergeTree(v) ORDER BY a");
        assertThat(ClusterDdl.statement("CREATE TABLE t (a Int64) ENGINE=MergeTree ORDER BY a", "main"))
                .isEqualTo("CREATE TABLE t (a Int64) ENGINE=ReplicatedMergeTree ORDER BY a");
        // Already replicated, or not of the family: left alone.
        assertThat(ClusterDdl.statement("CREATE TABLE t (a Int64) ENGINE = ReplicatedMergeTree ORDER BY a", "main"))
                .isEqualTo("CREATE TABLE t (a Int64) ENGINE = ReplicatedMergeTree ORDER BY a");
        assertThat(ClusterDdl.statement("CREATE TABLE q (a String) ENGINE = S3Queue('s3://b/*.parquet') SETTINGS mode = 'ordered'", "main"))
                .isEqualTo("CREATE TABLE q (a String) ENGINE = S3Queue('s3://b/*.parquet') SETTINGS mode = 'ordered'");
    }

    @Test
    void onAClusterDatabasesAreReplicatedOnEveryNode() throws IOException {
        assertThat(ClusterDdl.createDatabase("pypi", "main")).isEqualTo(
                "CREATE DATABASE IF NOT EXISTS `pypi` ON CLUSTER `main` ENGINE = Replicated('/clickhouse/databases/pypi', '{shard}', '{replica}')");
        // The GitHub events' database, created by a file (its name given at load time).
        MigrationFile github = files().stream().filter(file -> file.statement().contains("CREATE DATABASE")).findFirst().orElseThrow();
        String statement = github.statement().replace("${github}", "github");
        assertThat(ClusterDdl.statement(statement, "main")).endsWith(
                "CREATE DATABASE IF NOT EXISTS `github` ON CLUSTER `main` ENGINE = Replicated('/clickhouse/databases/github', '{shard}', '{replica}')");
    }

    private static List<MigrationFile> files() throws IOException {
        List<MigrationFile> files = new ArrayList<>();
        try (Stream<Path> sql = Files.list(Path.of("sql"))) {
            for (Path path : sql.filter(p -> p.toString().endsWith(".sql")).sorted().toList()) {
                files.add(MigrationFile.parse(path.getFileName().toString(), Files.readString(path)));
            }
        }
        return files;
    }
}
