package dev.pypianalytics.statements;

import dev.pypianalytics.clickhouse.Sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One page of a statement's result, in the order of a key that is unique among its rows: the rows after
 * {@code after} (all from the first when {@code null}), at most {@code size}. The statement is composed as
 * a subquery, never edited: {@code SELECT * FROM (<statement>) WHERE (key) > (after) ORDER BY key LIMIT size}.
 * For a warehouse user that returns at most so many rows per statement (ClickPy's public one: 1,000), a long
 * result is read in pages that each stay within the limit.
 *
 * @param key   output columns of the statement whose values are unique per row (e.g. project, version)
 * @param after the last page's last key values (a {@link String} or {@link java.time.LocalDate} each), or {@code null}
 * @param size  most rows of the page
 */
public record KeysetPage(List<String> key, List<Object> after, long size) {

    private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]*");

    public KeysetPage {
        key = List.copyOf(key);
        if (key.isEmpty() || !key.stream().allMatch(column -> COLUMN.matcher(column).matches())) {
            throw new IllegalArgumentException("a keyset is one or more output column names: " + key);
        }
        if (after != null && after.size() != key.size()) {
            throw new IllegalArgumentException("after must have a value per key column");
        }
        after = after == null ? null : List.copyOf(after);
        if (size < 1) {
            throw new IllegalArgumentException("page size must be positive");
        }
    }

    /** The page of {@code statement}'s rows (its own bindings kept; its settings and timeout too). */
    public Sql of(Sql statement) {
        String columns = String.join(", ", key);
        StringBuilder text = new StringBuilder("SELECT * FROM (").append(statement.text()).append(")");
        Sql page = new Sql("", statement.bindings(), statement.settings(), statement.timeout());
        if (after != null) {
            List<String> markers = new ArrayList<>();
            for (int i = 0; i < key.size(); i++) {
                String marker = "keyset_after_" + i;
                if (statement.bindings().containsKey(marker)) {
                    throw new IllegalArgumentException("the statement already binds " + marker);
                }
                markers.add("{" + marker + ":" + (after.get(i) instanceof java.time.LocalDate ? "Date" : "String") + "}");
                page = page.bind(marker, after.get(i));
            }
            text.append(" WHERE (").append(columns).append(") > (").append(String.join(", ", markers)).append(")");
        }
        text.append(" ORDER BY ").append(columns).append(" LIMIT {keyset_size:UInt64}");
        return new Sql(text.toString(), page.bindings(), Map.copyOf(statement.settings()), statement.timeout())
                .bind("keyset_size", size);
    }
}
