package dev.pypianalytics.cli;

import dev.pypianalytics.config.GithubProperties;
import dev.pypianalytics.config.IngestProperties;
import dev.pypianalytics.github.GithubArchive;
import dev.pypianalytics.ingest.Ingest;
import dev.pypianalytics.ingest.IngestException;
import dev.pypianalytics.ingest.Source;
import picocli.CommandLine;

import java.util.List;
import java.util.Locale;

/** {@code ingest [--format parquet|ndjson|gharchive] SOURCE...}: load download exports (or GH Archive hours). */
@CommandLine.Command(name = "ingest", sortOptions = false, resourceBundle = "dev.pypianalytics.cli.IngestCommand",
        customSynopsis = {
                "ingest [--format parquet|ndjson] SOURCE...",
                "       ingest --format gharchive SOURCE..."},
        description = {
                "Load PyPI download exports (BigQuery file_downloads, Parquet or newline-delimited JSON,",
                "optionally .gz/.zst) into pypi and every aggregate. SOURCE is a file, a glob such as",
                "'exports/2026-03-*.parquet' (quote it), or an http(s) URL (fetched by ClickHouse).",
                "Each source is checked before anything is written; rows already loaded (same content",
                "under any name) are skipped, so re-running is safe.",
                "With --format gharchive: load GH Archive hourly files (gharchive.org, e.g. 2026-03-01-15.json.gz)",
                "into the GitHub events (pypi.github.database) behind Project.repository. Each file is checked",
                "before anything is written; loading a file twice changes no figure."})
final class IngestCommand implements Cli.WarehouseCommand {

    @CommandLine.Mixin
    Commands.Sources sources;

    @CommandLine.Mixin
    Commands.HelpOption help;

    @Override
    public Cli.Command prepare() {
        if ("gharchive".equalsIgnoreCase(sources.format)) {
            List<Source> files = required(Source.Format.NDJSON);
            return warehouse -> githubArchive(warehouse, files);
        }
        Source.Format parsed = sources.format();
        List<Source> expanded = required(parsed);
        return warehouse -> ingest(warehouse, expanded);
    }

    private List<Source> required(Source.Format format) {
        if (sources.given.isEmpty()) {
            throw new IllegalArgumentException("ingest needs at least one file, glob or URL.");
        }
        return sources.expand(format);
    }

    private static int ingest(Cli.Warehouse warehouse, List<Source> sources) {
        Ingest ingest = new Ingest(warehouse.clickHouse(), warehouse.context().getBean(IngestProperties.class).overlap());
        int failed = 0;
        long added = 0;
        for (Source source : sources) {
            warehouse.progress().step("Loading " + source.location());
            try {
                Ingest.Outcome outcome = ingest.load(source, warehouse.progress());
                warehouse.progress().step("  " + source.location() + ": " + outcome.message());
                added += outcome.loaded() ? outcome.rows() : 0;
            } catch (IngestException e) {
                failed++;
                warehouse.progress().step("  " + source.location() + ": FAILED: " + e.getMessage());
            }
        }
        warehouse.out().printf(Locale.ROOT, "%d source(s): %d failed, %,d rows added.%n", sources.size(), failed, added);
        return failed == 0 ? Cli.OK : Cli.FAILED;
    }

    private static int githubArchive(Cli.Warehouse warehouse, List<Source> sources) {
        GithubArchive archive = new GithubArchive(warehouse.clickHouse(),
                warehouse.context().getBean(GithubProperties.class).database());
        int failed = 0;
        long added = 0;
        for (Source source : sources) {
            warehouse.progress().step("Loading " + source.location());
            try {
                GithubArchive.Outcome outcome = archive.load(source);
                warehouse.progress().step("  " + source.location() + ": " + outcome.message());
                added += outcome.events();
            } catch (IngestException e) {
                failed++;
                warehouse.progress().step("  " + source.location() + ": FAILED: " + e.getMessage());
            }
        }
        warehouse.out().printf(Locale.ROOT, "%d GH Archive file(s): %d failed, %,d events added.%n", sources.size(), failed, added);
        return failed == 0 ? Cli.OK : Cli.FAILED;
    }
}
