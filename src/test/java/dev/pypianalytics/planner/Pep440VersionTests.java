package dev.pypianalytics.planner;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** PEP 440 ordering, with the examples of the specification's "Summary of permitted suffixes and relative ordering". */
class Pep440VersionTests {

    static final List<String> ORDERED = List.of(
            "not a version", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
            "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0.post456.dev34",
            "1.0.post456", "1.1.dev1", "1.9", "1.9.1", "1.10", "2.0", "10.0", "1!0.1");

    @Test
    void sortsAsTheSpecificationSays() {
        List<String> shuffled = new ArrayList<>(ORDERED);
        Collections.shuffle(shuffled, new Random(440));
        List<String> sorted = shuffled.stream().map(Pep440Version::parse).sorted().map(Pep440Version::toString).toList();
        assertThat(sorted).containsExactlyElementsOf(ORDERED);
    }

    @Test
    void trailingZerosAndSpellingsAreEqual() {
        assertThat(Pep440Version.parse("1.0").compareTo(Pep440Version.parse("1.0.0"))).isZero();
        assertThat(Pep440Version.parse("1.0RC1").compareTo(Pep440Version.parse("1.0rc1"))).isZero();
        assertThat(Pep440Version.parse("1.0-1").compareTo(Pep440Version.parse("1.0.post1"))).isZero();
    }

    @Test
    void latestPrefersFinalReleases() {
        assertThat(Pep440Version.latest(List.of("1.9.2", "1.10.0", "2.0rc1", "1.2"))).isEqualTo("1.10.0");
        assertThat(Pep440Version.latest(List.of("2.0a1", "2.0b3"))).isEqualTo("2.0b3");
        assertThat(Pep440Version.latest(List.of())).isNull();
        assertThat(Pep440Version.parse("2.0rc1").preRelease()).isTrue();
        assertThat(Pep440Version.parse("2.0.post1").preRelease()).isFalse();
    }
}
