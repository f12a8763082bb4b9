package dev.pypianalytics.clickhouse;

import java.net.URI;
import java.util.Map;

/**
 * A ClickHouse HTTP interface to talk to: an external server or the embedded engine's loopback port.
 *
 * @param url      {@code http(s)://host:port}
 * @param user     ClickHouse user
 * @param password its password (never logged)
 * @param database default database of every statement
 * @param options  extra clickhouse-java client options
 */
public record ClickHouseEndpoint(URI url, String user, String password, String database, Map<String, String> options) {

    public ClickHouseEndpoint {
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("ClickHouse URL must start with http:// or https://, got " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("ClickHouse URL has no host: " + url);
        }
        options = Map.copyOf(options);
    }

    public boolean secure() {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    public int port() {
        return url.getPort() > 0 ? url.getPort() : (secure() ? 8443 : 8123);
    }

    /** The same server with another default database (e.g. none, to create ours). */
    public ClickHouseEndpoint withDatabase(String other) {
        return new ClickHouseEndpoint(url, user, password, other, options);
    }

    /** The same server and database as another user. */
    public ClickHouseEndpoint withCredentials(String otherUser, String otherPassword) {
        return new ClickHouseEndpoint(url, otherUser, otherPassword, database, options);
    }

    /** For logs and health: scheme, host, port and database, never the password. */
    public String describe() {
        return url.getScheme() + "://" + url.getHost() + ":" + port() + "/" + database;
    }

    @Override
    public String toString() {
        return "ClickHouseEndpoint[" + describe() + ", user=" + user + "]";
    }
}
