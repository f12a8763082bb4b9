package dev.pypianalytics.cli;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.support.ExportFiles;
import dev.pypianalytics.support.IntegrationTest;
import dev.pypianalytics.support.WarehouseTruth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code follow --dir X --once} as users run it, against the suite's embedded engine. */
class FollowCliIntegrationTests extends IntegrationTest {

    @Autowired
    ClickHouse clickHouse;

    @TempDir
    Path dir;

    CliRun cli(String... args) {
        List<String> line = new ArrayList<>(List.of(args));
        line.addAll(List.of("--pypi.follow.poll-interval=50ms", "--pypi.follow.quiet-period=0s", "--pypi.follow.lease-settle=20ms"));
        return CliRun.of(line.toArray(String[]::new));
    }

    @Test
    void followOnceLoadsTheFolderQuarantinesABrokenFileAndLoadsNothingTheSecondTime() throws Exception {
        ExportFiles.write(clickHouse, ExportFiles.select("it-follow-cli-", "2016-09-01", 400), "Parquet", dir.resolve("2016-09-01.parquet"));
        Files.writeString(dir.resolve("2016-09-03.ndjson"), "this is not json\n");
        ExportFiles.write(clickHouse, ExportFiles.select("it-follow-cli-", "2016-09-05", 300), "JSONEachRow", dir.resolve("2016-09-05.ndjson"));
        Files.writeString(dir.resolve("notes.txt"), "not an export: never read\n");
        long before = WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi");

        CliRun first = cli("follow", "--dir", dir.toString(), "--once");

        assertThat(first.code()).as(first.err()).isEqualTo(1);
        assertThat(first.out()).contains("2 loaded (700 rows added), 0 duplicate(s), 1 quarantined.");
        assertThat(first.err()).contains("2016-09-03.ndjson: QUARANTINED: Cannot read");
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi WHERE startsWith(project, 'it-follow-cli-')"))
                .isEqualTo(700);
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi")).isEqualTo(before + 700);
        assertThat(WarehouseTruth.mismatches(clickHouse, "it-follow-", 2016)).isEqualTo(Map.of());

        CliRun second = cli("follow", "--dir", dir.toString(), "--once");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("0 loaded (0 rows added), 0 duplicate(s), 0 quarantined.");
        assertThat(WarehouseTruth.count(clickHouse, "SELECT count() AS n FROM pypi")).isEqualTo(before + 700);
    }
}
