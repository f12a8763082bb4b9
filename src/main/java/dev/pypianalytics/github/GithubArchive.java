package dev.pypianalytics.github;

import dev.pypianalytics.clickhouse.Body;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.ClickHouseException;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.ingest.IngestException;
import dev.pypianalytics.ingest.Source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Loads GH Archive hourly files (gharchive.org: one GitHub event per line, JSON, usually gzip) into
 * {@code github_events}. Each file is first read whole into a working table of lines and checked: a file that is
 * not JSON lines of GitHub events (any line that is not, counted) is refused with nothing written. Only then is
 * it written with one {@code INSERT ... SELECT}. Every figure read from the table counts distinct people or
 * numbers, so a file loaded twice changes no answer.
 */
public final class GithubArchive {

    /** What loading one file did. */
    public record Outcome(Source source, long events, long repositories, String message) {
    }

    /** The {@code event_type} values of the layout; other (newer) types are stored as {@code Event}. */
    static final List<String> EVENT_TYPES = List.of("CommitCommentEvent", "CreateEvent", "DeleteEvent", "ForkEvent", "GollumEvent",
            "IssueCommentEvent", "IssuesEvent", "MemberEvent", "PublicEvent", "PullRequestEvent", "PullRequestReviewCommentEvent",
            "PushEvent", "ReleaseEvent", "SponsorshipEvent", "WatchEvent", "GistEvent", "FollowEvent", "DownloadEvent",
            "PullRequestReviewEvent", "ForkApplyEvent", "Event", "TeamAddEvent");

    /** The {@code action} values of the layout; other actions are stored as {@code none}. */
    static final List<String> ACTIONS = List.of("none", "created", "added", "edited", "deleted", "opened", "closed", "reopened",
            "assigned", "unassigned", "labeled", "unlabeled", "review_requested", "review_request_removed", "synchronize",
            "started", "published", "update", "create", "fork", "merged");

    private final ClickHouse clickHouse;
    private final String database;

    /**
     * @param clickHouse the warehouse as its administrative user
     * @param database   the GitHub events' database, a plain identifier ({@code pypi.github.database})
     */
    public GithubArchive(ClickHouse clickHouse, String database) {
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("database must be a plain identifier: " + database);
        }
        this.clickHouse = clickHouse;
        this.database = "`" + database + "`";
    }

    /** Loads one file or URL; throws {@link IngestException} (with nothing written) when it cannot be read or is not GH Archive. */
    public Outcome load(Source source) {
        checkLocalFile(source);
        String stage = database + ".gharchive_stage_" + HexFormat.of().toHexDigits(UUID.randomUUID().getMostSignificantBits());
        clickHouse.execute(Sql.of("CREATE TABLE " + stage + " (line String) ENGINE = MergeTree ORDER BY tuple()")).block();
        try {
            read(source, stage);
            long events = check(source, stage);
            write(source, stage);
            long repositories = clickHouse.queryOne(Sql.of("SELECT uniqExact(JSONExtractString(line, 'repo', 'name')) AS n FROM "
                    + stage + " WHERE line != ''"), row -> row.getLong("n")).block();
            return new Outcome(source, events, repositories,
                    String.format(Locale.ROOT, "loaded %,d GitHub events of %,d repositories", events, repositories));
        } finally {
            try {
                clickHouse.execute(Sql.of("DROP TABLE IF EXISTS " + stage)).block();
            } catch (RuntimeException ignored) {
                // Best effort: a leftover gharchive_stage_* table holds nothing that is counted.
            }
        }
    }

    private static void checkLocalFile(Source source) {
        if (source.remote()) {
            return;
        }
        Path path = Path.of(source.location());
        try {
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new IngestException("No such readable file: " + path + ". Nothing was loaded.");
            }
            if (Files.size(path) == 0) {
                throw new IngestException(path + " is empty (0 bytes). Nothing was loaded.");
            }
        } catch (IOException e) {
            throw new IngestException("Cannot read " + path + ": " + e.getMessage());
        }
    }

    private void read(Source source, String stage) {
        Sql statement = source.remote()
                ? Sql.of("INSERT INTO " + stage + " (line) SELECT line FROM url({source:String}, LineAsString, 'line String')")
                        .bind("source", source.location())
                : Sql.of("INSERT INTO " + stage + " (line) SELECT line FROM input('line String') FORMAT LineAsString");
        statement = statement.setting("max_execution_time", 0);
        Body body = null;
        if (!source.remote()) {
            try {
                body = Body.ofFile(Path.of(source.location()), source.compression());
            } catch (IOException e) {
                throw new IngestException("Cannot read " + source.location() + ": " + e.getMessage());
            }
        }
        try {
            clickHouse.loadAndWait(statement, null, body);
        } catch (ClickHouseException e) {
            if (e.kind() == ClickHouseException.Kind.QUERY) {
                throw new IngestException("Cannot read " + source.location() + " as a GH Archive file (JSON lines"
                        + (source.compression() == null ? "" : ", " + source.compression()) + "): " + firstLine(e.getMessage())
                        + " Nothing was loaded.", e);
            }
            throw e;
        }
    }

    /** Every non-empty line must be a GitHub event with a type, a repository and a time; returns how many there are. */
    private long check(Source source, String stage) {
        record Counts(long events, long notJson, long notEvents) {
        }
        Counts counts = clickHouse.queryOne(Sql.of("""
                        SELECT count() AS events,
                               countIf(NOT isValidJSON(line)) AS not_json,
                               countIf(isValidJSON(line) AND (JSONExtractString(line, 'type') = ''
                                       OR JSONExtractString(line, 'repo', 'name') = '' OR JSONExtractUInt(line, 'repo', 'id') = 0
                                       OR parseDateTimeBestEffortOrNull(JSONExtractString(line, 'created_at')) IS NULL)) AS not_events
                        FROM %s WHERE line != ''""".formatted(stage)),
                row -> new Counts(row.getLong("events"), row.getLong("not_json"), row.getLong("not_events"))).block();
        if (counts.events() == 0) {
            throw new IngestException(source.location() + " holds no events. Nothing was loaded.");
        }
        if (counts.notJson() > 0) {
            throw new IngestException(String.format(Locale.ROOT, "%s is not a GH Archive file: %,d of its %,d lines are not JSON. "
                    + "Nothing was loaded.", source.location(), counts.notJson(), counts.events()));
        }
        if (counts.notEvents() > 0) {
            throw new IngestException(String.format(Locale.ROOT, "%s is not a GH Archive file (2015 or later): %,d of its %,d lines "
                    + "lack a type, repo.name, repo.id or created_at. Nothing was loaded.", source.location(), counts.notEvents(),
                    counts.events()));
        }
        return counts.events();
    }

    private void write(Source source, String stage) {
        Sql insert = Sql.of("""
                        INSERT INTO %s.github_events
                            (file_time, event_type, actor_login, repo_name, repo_id, created_at, action, number, title, creator_user_login)
                        SELECT toStartOfHour(created) AS file_time,
                               if(type IN (%s), type, 'Event') AS event_type,
                               JSONExtractString(line, 'actor', 'login') AS actor_login,
                               JSONExtractString(line, 'repo', 'name') AS repo_name,
                               toString(JSONExtractUInt(line, 'repo', 'id')) AS repo_id,
                               created AS created_at,
                               if(act IN (%s), act, 'none') AS action,
                               toUInt32(multiIf(JSONHas(line, 'payload', 'issue'), JSONExtractUInt(line, 'payload', 'issue', 'number'),
                                                JSONHas(line, 'payload', 'pull_request'), JSONExtractUInt(line, 'payload', 'pull_request', 'number'),
                                                JSONExtractUInt(line, 'payload', 'number'))) AS number,
                               multiIf(JSONHas(line, 'payload', 'issue'), JSONExtractString(line, 'payload', 'issue', 'title'),
                                       JSONExtractString(line, 'payload', 'pull_request', 'title')) AS title,
                               multiIf(JSONHas(line, 'payload', 'issue'), JSONExtractString(line, 'payload', 'issue', 'user', 'login'),
                                       JSONExtractString(line, 'payload', 'pull_request', 'user', 'login')) AS creator_user_login
                        FROM (
                            SELECT line, JSONExtractString(line, 'type') AS type, JSONExtractString(line, 'payload', 'action') AS act,
                                   parseDateTimeBestEffort(JSONExtractString(line, 'created_at')) AS created
                            FROM %s WHERE line != ''
                        )""".formatted(database, quoted(EVENT_TYPES), quoted(ACTIONS), stage))
                .setting("max_execution_time", 0);
        try {
            clickHouse.loadAndWait(insert, null, null);
        } catch (ClickHouseException e) {
            throw new IngestException("Writing " + source.location() + " into github_events failed: " + firstLine(e.getMessage())
                    + " Loading it again is safe (every figure counts distinct people and numbers).", e);
        }
    }

    private static String quoted(List<String> names) {
        // Our own constants (letters and underscores only), never input.
        return names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.replaceFirst("^ClickHouse rejected a statement: ", "")
                .replaceAll("\\s*\\(version [0-9.]+\\)", "").replaceAll("Code: \\d+\\. DB::Exception: ", "");
        int newline = text.indexOf('\n');
        text = (newline > 0 ? text.substring(0, newline) : text).strip();
        return text.endsWith(".") ? text : text + ".";
    }
}
