package dev.pypianalytics.cli;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ingest --format gharchive} as users run it: a GH Archive file is loaded; a file that is not one is refused whole. */
class GithubArchiveCliIntegrationTests extends IntegrationTest {

    private static final String EVENT = """
            {"id":"%d","type":"%s","actor":{"id":1,"login":"%s"},"repo":{"id":%d,"name":"%s"},"payload":{"action":"%s"},"public":true,"created_at":"2026-03-01T10:00:00Z"}""";

    @Autowired
    ClickHouse clickHouse;

    @TempDir
    Path dir;

    CliRun cli(String... args) {
        return CliRun.of(args);
    }

    long count(String sql) {
        return clickHouse.queryOne(Sql.of(sql), row -> row.getLong("n")).block();
    }

    /**
     * One run (each starts the application): a good file is loaded, the bad ones beside it are refused whole. (A file
     * that does not exist is refused with the whole command line before anything starts: see CliTests.)
     */
    @Test
    void aGzippedHourIsLoadedAndFilesThatAreNotGhArchiveAreRefusedWithNothingWritten() throws IOException {
        Path good = dir.resolve("2026-03-01-10.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(good))) {
            out.write((EVENT.formatted(1, "WatchEvent", "it-a", 71000001, "it-cli/stars", "started") + "\n"
                    + EVENT.formatted(2, "WatchEvent", "it-b", 71000001, "it-cli/stars", "started") + "\n"
                    + EVENT.formatted(3, "SomeFutureEvent", "it-a", 71000001, "it-cli/stars", "") + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path csv = dir.resolve("downloads.json");
        Files.writeString(csv, EVENT.formatted(1, "WatchEvent", "it-x", 72000001, "it-cli/refused", "started") + "\nproject,downloads\nboto3,1\n");
        Path notEvents = dir.resolve("2026-03-01-11.json");
        Files.writeString(notEvents, EVENT.formatted(1, "WatchEvent", "it-x", 72000001, "it-cli/refused", "started") + "\n{\"hello\": \"world\"}\n");
        Path corrupt = dir.resolve("2026-03-01-12.json.gz");
        Files.write(corrupt, "this is not gzip at all".getBytes(StandardCharsets.UTF_8));
        long before = count("SELECT count() AS n FROM github.github_events");

        CliRun run = cli("ingest", "--format", "gharchive", csv.toString(), good.toString(), notEvents.toString(), corrupt.toString());

        assertThat(run.code()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("4 GH Archive file(s): 3 failed, 3 events added");
        assertThat(run.err()).contains(csv + ": FAILED: " + csv + " is not a GH Archive file")
                .contains(notEvents + ": FAILED: " + notEvents + " is not a GH Archive file")
                .contains(corrupt + ": FAILED: Cannot read " + corrupt + " as a GH Archive file (JSON lines, gzip)")
                .contains("Nothing was loaded")
                .doesNotContain("Exception").doesNotContain("at dev.");
        // The good file's events, and nothing of the others, nor a working table.
        assertThat(count("SELECT count() AS n FROM github.github_events")).isEqualTo(before + 3);
        assertThat(count("SELECT count() AS n FROM github.github_events WHERE repo_name = 'it-cli/stars'")).isEqualTo(3);
        assertThat(count("SELECT count() AS n FROM github.github_events WHERE repo_name = 'it-cli/refused'")).isZero();
        assertThat(count("SELECT count() AS n FROM system.tables WHERE database = 'github' AND startsWith(name, 'gharchive_stage_')")).isZero();
        // An event type the layout does not know is kept as Event, not refused; the name-to-id table follows the events.
        assertThat(count("SELECT count() AS n FROM github.github_events WHERE repo_name = 'it-cli/stars' AND event_type = 'Event'")).isEqualTo(1);
        assertThat(count("SELECT count() AS n FROM github.repo_name_to_id WHERE repo_name = 'it-cli/stars' AND repo_id = '71000001'")).isEqualTo(1);
    }
}
