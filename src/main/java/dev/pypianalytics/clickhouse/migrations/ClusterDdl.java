package dev.pypianalytics.clickhouse.migrations;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema for a self-managed cluster ({@code pypi.clickhouse.cluster}): the warehouse's databases use the
 * {@code Replicated} database engine, created {@code ON CLUSTER} so that every replica has them, and from then on
 * every {@code CREATE} in them is replayed on the other replicas by the database itself; the tables' data is
 * replicated by their engines, so every MergeTree-family engine of the {@code sql/} files becomes its
 * {@code Replicated} variant, without arguments (the database gives each table its Keeper path and replica name;
 * an engine's own arguments, such as a version column, stay). Without a cluster name the files run as written
 * (one server; ClickHouse Cloud, whose databases replicate MergeTree tables by themselves).
 *
 * <p>Applied when the files are read, like the GitHub database's name: the checksum recorded is that of the file
 * as written, so a warehouse's record does not depend on where it runs.
 */
public final class ClusterDdl {

    private static final Pattern ENGINE = Pattern.compile("(?i)(ENGINE\\s*=\\s*)(?!Replicated)((?:Summing|Replacing|Aggregating|Collapsing|"
            + "VersionedCollapsing|Graphite|Coalescing)?MergeTree)\\b");
    private static final Pattern CREATE_DATABASE = Pattern.compile("(?i)^(\\s*(?:--[^\\n]*\\n\\s*)*)CREATE\\s+DATABASE\\s+IF\\s+NOT\\s+EXISTS\\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\\s*;?\\s*$");

    private ClusterDdl() {
    }

    /** The statement creating {@code database}: plain on one server, replicated on every node of {@code cluster}. */
    public static String createDatabase(String database, String cluster) {
        if (cluster == null || cluster.isEmpty()) {
            return "CREATE DATABASE IF NOT EXISTS `" + database + "`";
        }
        return "CREATE DATABASE IF NOT EXISTS `" + database + "` ON CLUSTER `" + cluster + "` ENGINE = Replicated('/clickhouse/databases/"
                + database + "', '{shard}', '{replica}')";
    }

    /** A migration statement for {@code cluster} (as written when there is none). */
    public static String statement(String sql, String cluster) {
        if (cluster == null || cluster.isEmpty()) {
            return sql;
        }
        Matcher database = CREATE_DATABASE.matcher(sql);
        if (database.matches()) {
            return database.group(1) + createDatabase(database.group(2), cluster);
        }
        return ENGINE.matcher(sql).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + "Replicated" + match.group(2)));
    }
}
