package dev.pypianalytics.support;

import dev.pypianalytics.config.ApiProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

/**
 * {@link ApiProperties} as Spring binds them: the defaults, with the given {@code pypi.api.*} properties
 * (names relative to {@code pypi.api}, e.g. {@code request-timeout}). Tests name only what they change, so
 * a new setting does not touch every test that builds one.
 */
public final class ApiSettings {

    private ApiSettings() {
    }

    public static ApiProperties with(Map<String, String> properties) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        properties.forEach((name, value) -> source.put("pypi.api." + name, value));
        return new Binder(source).bindOrCreate("pypi.api", ApiProperties.class);
    }

    public static ApiProperties defaults() {
        return with(Map.of());
    }
}
