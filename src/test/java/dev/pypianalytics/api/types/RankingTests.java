package dev.pypianalytics.api.types;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/** The figures of a rank and ClickPy's badge tiers at their bounds (gold up to 1 %, silver 10 %, bronze 25 %, included). */
class RankingTests {

    @ParameterizedTest(name = "rank {0} of {1}: top {2} %, {4}")
    @CsvSource(nullValues = "none", value = {
            "1,    1000, 0.1,   100.0, TOP_1_PERCENT",
            "10,   1000, 1.0,   99.1,  TOP_1_PERCENT",
            "11,   1000, 1.1,   99.0,  TOP_10_PERCENT",
            "100,  1000, 10.0,  90.1,  TOP_10_PERCENT",
            "101,  1000, 10.1,  90.0,  TOP_25_PERCENT",
            "250,  1000, 25.0,  75.1,  TOP_25_PERCENT",
            "251,  1000, 25.1,  75.0,  none",
            "1000, 1000, 100.0, 0.1,   none",
            "1,    1,    100.0, 100.0, none",
            "1,    4,    25.0,  100.0, TOP_25_PERCENT",
            "1,    100,  1.0,   100.0, TOP_1_PERCENT",
            "2,    100,  2.0,   99.0,  TOP_10_PERCENT",
            "7,    700,  1.0,   99.142857142857, TOP_1_PERCENT",
    })
    void figuresAndTier(long rank, long of, double topPercent, double percentile, RankingTier tier) {
        Ranking ranking = Ranking.of(rank, of);

        assertThat(ranking.rank()).isEqualTo(rank);
        assertThat(ranking.of()).isEqualTo(of);
        assertThat(ranking.topPercent()).isCloseTo(topPercent, within(1e-9));
        assertThat(ranking.percentile()).isCloseTo(percentile, within(1e-9));
        assertThat(ranking.tier()).isEqualTo(tier);
    }

    @Test
    void theTierOfAShareFromTheTop() {
        assertThat(RankingTier.of(0.0001)).isEqualTo(RankingTier.TOP_1_PERCENT);
        assertThat(RankingTier.of(1.0000001)).isEqualTo(RankingTier.TOP_10_PERCENT);
        assertThat(RankingTier.of(25.0000001)).isNull();
        assertThat(RankingTier.of(0)).isNull();
    }

    @Test
    void aRankOutsideItsProjectsIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Ranking.of(0, 10));
        assertThatIllegalArgumentException().isThrownBy(() -> Ranking.of(11, 10));
        assertThatIllegalArgumentException().isThrownBy(() -> Ranking.of(1, 0));
    }
}
