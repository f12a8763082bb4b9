package dev.pypianalytics.ingest;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One file of downloads to load: a local file (sent to ClickHouse through {@code input()}, so it works
 * with a remote server too) or an http(s) URL (fetched by ClickHouse itself with {@code url()}).
 *
 * @param location    absolute path or URL
 * @param remote      whether ClickHouse fetches it (URL) rather than us sending it
 * @param format      ClickHouse input format name
 * @param compression {@code Content-Encoding} of a local compressed file, or {@code null}
 * @param label       what the ledger and messages call it: the location, or for a file fetched by a follower into
 *                    a temporary file, the URL it came from (credentials masked)
 */
public record Source(String location, boolean remote, Format format, String compression, String label) {

    public Source(String location, boolean remote, Format format, String compression) {
        this(location, remote, format, compression, location);
    }

    /** The export formats we read, as ClickHouse names them. */
    public enum Format {
        PARQUET("Parquet"), NDJSON("JSONEachRow");

        private final String clickHouseName;

        Format(String clickHouseName) {
            this.clickHouseName = clickHouseName;
        }

        public String clickHouseName() {
            return clickHouseName;
        }

        /** From a command-line value: parquet, ndjson, json, jsonl. */
        public static Format parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "parquet" -> PARQUET;
                case "ndjson", "json", "jsonl", "jsoneachrow" -> NDJSON;
                default -> throw new IllegalArgumentException("Unknown format '" + value + "': use parquet or ndjson (ingest also takes gharchive).");
            };
        }
    }

    private static final Map<String, String> COMPRESSIONS = Map.of(
            "gz", "gzip", "gzip", "gzip", "zst", "zstd", "zstd", "zstd", "xz", "xz", "bz2", "bz2", "lz4", "lz4");

    /**
     * The sources named on a command line: paths, globs ({@code data/2026-03-*.parquet}) and URLs, in
     * order, globs expanded and sorted.
     *
     * @param format the format for all of them, or {@code null} to tell by file name
     */
    public static List<Source> expand(List<String> arguments, Format format) {
        List<Source> sources = new ArrayList<>();
        for (String argument : arguments) {
            if (argument.startsWith("http://") || argument.startsWith("https://")) {
                sources.add(new Source(argument, true, format != null ? format : formatOf(argument), null));
                continue;
            }
            if (argument.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
                throw new IngestException("Unsupported location " + argument + ": use a local path, a glob or an http(s) URL.");
            }
            for (Path path : paths(argument)) {
                String name = path.getFileName().toString();
                sources.add(new Source(path.toString(), false, format != null ? format : formatOf(name), compressionOf(name)));
            }
        }
        return sources;
    }

    private static List<Path> paths(String argument) {
        if (!argument.matches(".*[*?\\[{].*")) {
            Path file = Path.of(argument).toAbsolutePath().normalize();
            // Said before anything starts (the CLI opens the warehouse only after its command line is checked).
            if (Files.isDirectory(file)) {
                throw new IngestException(argument + " is a directory: pass its files, or a glob such as " + argument + "/*.parquet.");
            }
            if (!Files.isRegularFile(file)) {
                throw new IngestException("No such file: " + argument + ".");
            }
            return List.of(file);
        }
        // The directory part before the first glob character is walked; the whole pattern is matched.
        Path pattern = Path.of(argument).toAbsolutePath().normalize();
        String text = pattern.toString();
        int firstGlob = text.replaceAll("[*?\\[{].*", "").length();
        Path base = Path.of(text.substring(0, text.lastIndexOf('/', firstGlob) + 1));
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + text);
        if (!Files.isDirectory(base)) {
            throw new IngestException("No files match " + argument + ": directory " + base + " does not exist.");
        }
        try (Stream<Path> files = Files.walk(base)) {
            List<Path> matches = files.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
            if (matches.isEmpty()) {
                throw new IngestException("No files match " + argument + ".");
            }
            return matches;
        } catch (IOException e) {
            throw new IngestException("Cannot list " + base + ": " + e.getMessage());
        }
    }

    /** The format a file name says ({@code .parquet}, {@code .ndjson.gz}, ...); {@link IngestException} when it says none. */
    public static Format formatOf(String name) {
        String lower = stripCompression(name.replaceAll("[?#].*", "").toLowerCase(Locale.ROOT));
        if (lower.endsWith(".parquet")) {
            return Format.PARQUET;
        }
        if (lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
            return Format.NDJSON;
        }
        throw new IngestException("Cannot tell the format of " + name + " from its name: pass --format parquet or --format ndjson.");
    }

    /** The compression a file name says ({@code .gz}, {@code .zst}, ...), or {@code null}. */
    public static String compressionOf(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        return dot < 0 ? null : COMPRESSIONS.get(lower.substring(dot + 1));
    }

    private static String stripCompression(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && COMPRESSIONS.containsKey(name.substring(dot + 1)) ? name.substring(0, dot) : name;
    }
}
