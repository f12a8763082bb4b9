package dev.pypianalytics.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectNameTests {

    /** The normalization itself is {@code downloads.Pep503Tests}'s; here: it is applied, after stripping. */
    @ParameterizedTest
    @CsvSource({
            "'  numpy  ', numpy",
            "Zope.Interface, zope-interface",
    })
    void namesAreStrippedAndNormalized(String raw, String normalized) {
        assertThat(ProjectName.of(raw).value()).isEqualTo(normalized);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "-leading", "trailing_", "with space", "semi;colon", "quote'", "ünicode"})
    void invalidNamesAreRejectedWithAReason(String raw) {
        assertThatThrownBy(() -> ProjectName.of(raw)).isInstanceOf(InvalidInputException.class).hasMessageContaining("name");
    }

    @org.junit.jupiter.api.Test
    void overlongNamesAreRejected() {
        assertThatThrownBy(() -> ProjectName.of("a".repeat(201))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 200");
    }
}
