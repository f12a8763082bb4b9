package dev.pypianalytics.downloads;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.ingest.Ingest;
import dev.pypianalytics.ingest.Progress;
import dev.pypianalytics.ingest.Source;
import dev.pypianalytics.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference data (what a package page asks whatever its filters: releases, first and last days, what a rank
 * is counted among) is asked once per data version, whatever the filters of the page, and a load changes it at once.
 */
class ReferenceDataIntegrationTests extends IntegrationTest {

    private static final String PAGE = """
            query($n: String!, $f: DownloadFilter) { project(name: $n) {
              firstDownload latestVersion ranking { rank of } versions(filter: $f, limit: 3) { name uploadTime } totalDownloads(filter: $f) } }""";

    @Autowired
    ClickHouse clickHouse;

    @Autowired
    MeterRegistry meters;

    @TempDir
    Path dir;

    double hits(String cache) {
        return meters.get("cache.gets").tags("cache", cache, "result", "hit").functionCounter().count();
    }

    long count(Sql sql) {
        return clickHouse.queryOne(sql, row -> row.getLong("n")).block();
    }

    @Test
    void aPageWithOtherFiltersReusesTheReferenceDataAndALoadChangesIt() throws Exception {
        // The least downloaded project with a release in the metadata: loading a few rows for it changes its rank.
        String project = clickHouse.queryOne(Sql.of("SELECT project FROM pypi WHERE project IN (SELECT name FROM projects) "
                + "GROUP BY project ORDER BY count(), project LIMIT 1"), row -> row.getString("project")).block();
        long mine = count(Sql.of("SELECT count() AS n FROM pypi WHERE project = {p:String}").bind("p", project));

        var first = graphQl.document(PAGE).variable("n", project).variable("f", null).execute();
        first.path("project.ranking.rank").entity(Long.class).isEqualTo(rankOf(mine));
        double referenceHits = hits("reference");
        double rankingHits = hits("rankings");
        // Another filter: its own download figures, the same reference data (metadata, days, what ranks count among).
        graphQl.document(PAGE).variable("n", project).variable("f", java.util.Map.of("ci", "EXCLUDE")).execute()
                .path("project.firstDownload").entity(String.class).isEqualTo(first.path("project.firstDownload").entity(String.class).get())
                .path("project.latestVersion").entity(String.class).isEqualTo(first.path("project.latestVersion").entity(String.class).get());
        assertThat(hits("reference")).as("releases and first/last days from the reference cache").isGreaterThanOrEqualTo(referenceHits + 2);
        assertThat(hits("rankings")).as("what the rank is counted among, kept").isGreaterThan(rankingHits);

        // The next project up: its rank changes when the first one overtakes it, though nothing of its own does.
        String above = clickHouse.queryOne(Sql.of("SELECT project FROM pypi GROUP BY project HAVING count() > {m:Int64} "
                + "ORDER BY count(), project LIMIT 1").bind("m", mine), row -> row.getString("project")).block();
        long aboveDownloads = count(Sql.of("SELECT count() AS n FROM pypi WHERE project = {p:String}").bind("p", above));
        long aboveRank = rankOf(aboveDownloads);
        graphQl.document(PAGE).variable("n", above).variable("f", null).execute()
                .path("project.ranking.rank").entity(Long.class).isEqualTo(aboveRank);

        // Enough downloads on a day of its own (long before the demo data), in a load: the first project's first
        // day and both ranks change at once.
        long added = aboveDownloads - mine + 1;
        StringBuilder rows = new StringBuilder();
        for (long i = 0; i < added; i++) {
            rows.append("{\"timestamp\": \"2017-06-13 11:").append(String.format("%02d:%02d", i / 60 % 60, i % 60)).append(" UTC\", \"project\": \"")
                    .append(project).append("\", \"file\": {\"version\": \"1.0\", \"type\": \"sdist\"}}\n");
        }
        Path file = Files.writeString(dir.resolve("reference.ndjson"), rows);
        new Ingest(clickHouse).load(Source.expand(List.of(file.toString()), null).getFirst(),
                Progress.to(new PrintStream(OutputStream.nullOutputStream()), false));

        long now = count(Sql.of("SELECT count() AS n FROM pypi WHERE project = {p:String}").bind("p", project));
        assertThat(now).isEqualTo(aboveDownloads + 1);
        LocalDate firstDay = clickHouse.queryOne(Sql.of("SELECT min(date) AS d FROM pypi WHERE project = {p:String}").bind("p", project),
                row -> row.getDate("d")).block();
        graphQl.document(PAGE).variable("n", project).variable("f", null).execute()
                .path("project.firstDownload").entity(String.class).isEqualTo(firstDay.toString())
                .path("project.ranking.rank").entity(Long.class).isEqualTo(rankOf(now));
        assertThat(rankOf(aboveDownloads)).as("overtaken, over the raw table").isEqualTo(aboveRank + 1);
        graphQl.document(PAGE).variable("n", above).variable("f", null).execute()
                .path("project.ranking.rank").entity(Long.class).isEqualTo(aboveRank + 1)
                .path("project.ranking.of").entity(Long.class).isEqualTo(count(Sql.of("SELECT uniqExact(project) AS n FROM pypi")));
    }

    /** 1 + the projects with more downloads than {@code downloads}, over the raw table. */
    private long rankOf(long downloads) {
        return 1 + count(Sql.of("SELECT count() AS n FROM (SELECT project FROM pypi GROUP BY project HAVING count() > {d:Int64})")
                .bind("d", downloads));
    }
}
