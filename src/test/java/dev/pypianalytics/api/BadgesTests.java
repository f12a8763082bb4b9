package dev.pypianalytics.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How badges write numbers and draw themselves. */
class BadgesTests {

    @Test
    void numbersAreWrittenWithAtMostThreeSignificantFigures() {
        assertThat(Badges.compact(0)).isEqualTo("0");
        assertThat(Badges.compact(999)).isEqualTo("999");
        assertThat(Badges.compact(1_000)).isEqualTo("1k");
        assertThat(Badges.compact(1_234)).isEqualTo("1.2k");
        assertThat(Badges.compact(12_345)).isEqualTo("12k");
        assertThat(Badges.compact(999_499)).isEqualTo("999k");
        assertThat(Badges.compact(999_500)).isEqualTo("1M");
        assertThat(Badges.compact(31_566_000)).isEqualTo("32M");
        assertThat(Badges.compact(13_456_789_012L)).isEqualTo("13B");
    }

    @Test
    void theSvgEscapesItsTextAndGrowsWithIt() throws Exception {
        String short_ = Badges.Svg.render(new Badges.Badge("downloads", "1k", "blue", false));
        String long_ = Badges.Svg.render(new Badges.Badge("downloads <&>", "1.2M/month", "blue", false));
        var xml = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(long_.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(xml.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("downloads <&>: 1.2M/month");
        int shortWidth = Integer.parseInt(short_.replaceAll("(?s)^<svg[^>]* width=\"(\\d+)\".*", "$1"));
        int longWidth = Integer.parseInt(long_.replaceAll("(?s)^<svg[^>]* width=\"(\\d+)\".*", "$1"));
        assertThat(longWidth).isGreaterThan(shortWidth);
    }
}
