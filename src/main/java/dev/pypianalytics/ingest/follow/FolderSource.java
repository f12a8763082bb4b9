package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.ingest.IngestException;
import dev.pypianalytics.ingest.Source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A local folder: regular files directly in it whose names {@link DirectoryFollower#candidateName say an export},
 * in name order; a file is ready when it is not empty, looks the same (size and modification time) at two
 * listings in a row, and was last modified at least the quiet period ago.
 */
public final class FolderSource implements FollowSource {

    private final Path directory;
    private final Duration quietPeriod;
    private final Clock clock;
    private Map<String, Observation> lastSeen = new HashMap<>();

    public FolderSource(Path directory, Duration quietPeriod, Clock clock) {
        this.directory = directory.toAbsolutePath().normalize();
        this.quietPeriod = quietPeriod;
        this.clock = clock;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public String describe() {
        return directory.toString();
    }

    @Override
    public Map<String, FollowState.FileRecord> known(FollowState state) {
        return state.under(directory.toString());
    }

    @Override
    public List<Entry> list(Map<String, FollowState.FileRecord> handled) {
        List<Entry> entries = new ArrayList<>();
        Map<String, Observation> seenNow = new HashMap<>();
        long now = clock.millis();
        for (Path file : files()) {
            Observation observation = observe(file);
            if (observation == null) {
                continue; // gone since the listing
            }
            String key = file.toString();
            seenNow.put(key, observation);
            boolean complete = observation.size() > 0 && observation.equals(lastSeen.get(key))
                    && now - observation.modifiedMillis() >= quietPeriod.toMillis();
            entries.add(new Entry(key, file.getFileName().toString(), observation, complete));
        }
        lastSeen = seenNow;
        return entries;
    }

    @Override
    public Fetched fetch(Entry entry) {
        Source source = new Source(entry.key(), false, Source.formatOf(entry.name()), Source.compressionOf(entry.name()));
        return new Fetched() {
            @Override
            public Source source() {
                return source;
            }

            @Override
            public void close() {
            }
        };
    }

    private List<Path> files() {
        if (!Files.isDirectory(directory)) {
            throw new IngestException("The folder to follow, " + directory + ", does not exist (or is not a folder).");
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> DirectoryFollower.candidateName(file.getFileName().toString())).filter(Files::isRegularFile)
                    .sorted().toList();
        } catch (IOException e) {
            throw new IngestException("Cannot list " + directory + ": " + e.getMessage());
        }
    }

    private static Observation observe(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Observation(attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (IOException e) {
            return null;
        }
    }
}
