package dev.pypianalytics.downloads;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A rank from the sorted downloads of every ranked project: 1 + how many have strictly more (SQL's rank()). */
class RankingIndexTests {

    // Seven projects: 900, 500, 500, 500, 20, 7, 1 downloads (sorted ascending as the index keeps them).
    private final RankingIndex.Ranked ranked = new RankingIndex.Ranked(new long[] {1, 7, 20, 500, 500, 500, 900});

    @Test
    void theMostDownloadedIsFirstAndTheLeastIsLast() {
        assertThat(ranked.rankOf(900)).isEqualTo(1);
        assertThat(ranked.rankOf(1)).isEqualTo(7);
        assertThat(ranked.of()).isEqualTo(7);
    }

    @Test
    void tiesShareTheBetterRankAndTheNextRankSkipsThem() {
        // One project has more than each of the three with 500: all are second; the next is fifth.
        assertThat(ranked.rankOf(500)).isEqualTo(2);
        assertThat(ranked.rankOf(20)).isEqualTo(5);
        assertThat(ranked.rankOf(7)).isEqualTo(6);
    }

    @Test
    void downloadsNotInTheIndexRankAmongIt() {
        // Seen between two reads of the data: placed where its downloads are.
        assertThat(ranked.rankOf(1000)).isEqualTo(1);
        assertThat(ranked.rankOf(600)).isEqualTo(2);
        assertThat(ranked.rankOf(0)).isEqualTo(8);
        assertThat(new RankingIndex.Ranked(new long[0]).rankOf(5)).isEqualTo(1);
    }
}
