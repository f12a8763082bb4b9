package dev.pypianalytics.clickhouse;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One statement ready to send: text with named {@code :name} markers, the values bound to them, and
 * per-query ClickHouse settings. Immutable; every {@code with...} returns a copy, so the text is never
 * patched after the fact.
 *
 * <p>Values are always bound, never spliced into the text. Settings are rendered by the port as a
 * trailing {@code SETTINGS} clause; their names must be plain identifiers and their values numbers,
 * booleans or plain words, so nothing user-supplied can reach the text through them either.
 *
 * @param text     SQL with {@code :name} markers (avoid {@code ::} casts: they read as markers)
 * @param bindings marker name → value ({@link Long}, {@link String}, {@link java.time.LocalDate}, a
 *                 {@link java.util.Collection} for {@code IN (:names)}, or {@link NullValue})
 * @param settings ClickHouse setting name → value, e.g. {@code max_execution_time → 30}
 * @param timeout  client-side limit for this statement; {@code null} = the port's default
 */
public record Sql(String text, Map<String, Object> bindings, Map<String, Object> settings, Duration timeout) {

    private static final Pattern SETTING_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern SETTING_WORD = Pattern.compile("[A-Za-z0-9_.]+");
    private static final Pattern MARKER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A typed SQL NULL: r2dbc needs the type to bind a null. */
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
            Objects.requireNonNull(value, () -> "value of :" + name + " is null; bind a Sql.NullValue instead");
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

    /** The text as sent: the statement plus its {@code SETTINGS} clause, if any. */
    public String renderedText() {
        if (settings.isEmpty()) {
            return text;
        }
        StringBuilder sql = new StringBuilder(text.stripTrailing());
        String separator = " SETTINGS ";
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            sql.append(separator).append(setting.getKey()).append(" = ").append(renderSettingValue(setting.getValue()));
            separator = ", ";
        }
        return sql.toString();
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

    private static String renderSettingValue(Object value) {
        if (value instanceof Boolean flag) {
            return flag ? "1" : "0";
        }
        if (value instanceof String word && !Character.isDigit(word.charAt(0))) {
            return "'" + word + "'";
        }
        return value.toString();
    }
}
