package dev.pypianalytics.clickhouse;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One statement ready to send: text with ClickHouse's native typed query parameters ({@code {name:Type}},
 * written by whoever renders the statement, who knows each value's type), the values bound to them, and
 * per-query ClickHouse settings. Immutable; every {@code with...} returns a copy, and the port sends the
 * text exactly as rendered: it is never patched afterwards.
 *
 * <p>Values are always bound (sent as the server-side parameters {@code param_name}), never spliced into the
 * text; the server parses each as the type its placeholder names. Settings travel beside the text (URL
 * settings of the HTTP interface); their names must be plain identifiers and their values numbers, booleans
 * or plain words, so nothing user-supplied can reach the statement through them either.
 *
 * @param text     SQL with {@code {name:Type}} parameters, e.g. {@code date BETWEEN {from:Date} AND {to:Date}},
 *                 {@code project IN {names:Array(String)}}, {@code {expected:Nullable(Int64)}}
 * @param bindings parameter name → value ({@link Number}, {@link String}, {@link java.time.LocalDate}, a
 *                 {@link java.util.Collection} of those for an {@code Array(...)} parameter, or {@link NullValue})
 * @param settings ClickHouse setting name → value, e.g. {@code max_execution_time → 30}
 * @param timeout  client-side limit for this statement; {@code null} = the port's default
 */
public record Sql(String text, Map<String, Object> bindings, Map<String, Object> settings, Duration timeout) {

    private static final Pattern SETTING_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern SETTING_WORD = Pattern.compile("[A-Za-z0-9_.]+");
    private static final Pattern MARKER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** SQL NULL for a {@code Nullable(...)} parameter (a map holds no {@code null}); the type is the placeholder's. */
    public record NullValue(Class<?> type) {
    }

    public Sql {
        Objects.requireNonNull(text, "text");
        bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        bindings.forEach((name, value) -> {
            if (!MARKER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("bind marker name must be an identifier: " + name);
            }
            Objects.requireNonNull(value, () -> "value of {" + name + "} is null; bind a Sql.NullValue instead");
        });
        settings.forEach(Sql::checkSetting);
    }

    public static Sql of(String text) {
        return new Sql(text, Map.of(), Map.of(), null);
    }

    public Sql bind(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(bindings);
        copy.put(name, value);
        return new Sql(text, copy, settings, timeout);
    }

    public Sql setting(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(settings);
        copy.put(name, value);
        return new Sql(text, bindings, copy, timeout);
    }

    /** The same statement without any setting (for a user that may not change settings). */
    public Sql withoutSettings() {
        return new Sql(text, bindings, Map.of(), timeout);
    }

    public Sql withTimeout(Duration limit) {
        return new Sql(text, bindings, settings, limit);
    }

    /**
     * Fails unless every binding has its {@code {name:Type}} placeholder in the text (a value bound to nothing,
     * or to an old-style {@code :name} marker, would otherwise be silently ignored by the server).
     */
    public Sql checkedParameters() {
        for (String name : bindings.keySet()) {
            if (!text.contains("{" + name + ":")) {
                throw new IllegalArgumentException("no {" + name + ":Type} parameter in the statement for the value bound to " + name);
            }
        }
        return this;
    }

    private static void checkSetting(String name, Object value) {
        if (!SETTING_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("setting name must be a lower-case identifier: " + name);
        }
        if (!(value instanceof Number || value instanceof Boolean
                || (value instanceof String word && SETTING_WORD.matcher(word).matches()))) {
            throw new IllegalArgumentException("setting " + name + " must be a number, boolean or plain word");
        }
    }
}
