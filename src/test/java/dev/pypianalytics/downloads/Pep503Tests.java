package dev.pypianalytics.downloads;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class Pep503Tests {

    @ParameterizedTest
    @CsvSource({
            "requests, requests",
            "Django, django",
            "typing_extensions, typing-extensions",
            "zope.interface, zope-interface",
            "Foo__Bar-.baz, foo-bar-baz",
            "PyYAML, pyyaml",
            "a, a",
    })
    void namesAreNormalizedAsPep503Does(String raw, String normalized) {
        assertThat(Pep503.normalize(raw)).isEqualTo(normalized);
    }
}
