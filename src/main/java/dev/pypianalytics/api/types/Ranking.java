package dev.pypianalytics.api.types;

/**
 * A project's position among the projects with downloads (all time, or under a ranking filter).
 *
 * @param rank       1 + the number of projects with strictly more downloads (ties share the better rank)
 * @param of         projects with downloads
 * @param percentile share of projects with fewer or equal downloads, in percent (100 for the top project)
 * @param topPercent share of projects ranked at or above it, in percent: rank 1 of 1000 is 0.1
 * @param tier       ClickPy's badge for {@code topPercent}, or {@code null} below the top 25 %
 */
public record Ranking(long rank, long of, double percentile, double topPercent, RankingTier tier) {

    /** The figures of rank {@code rank} among {@code of} projects. */
    public static Ranking of(long rank, long of) {
        if (of < 1 || rank < 1 || rank > of) {
            throw new IllegalArgumentException("rank " + rank + " of " + of);
        }
        double topPercent = 100.0 * rank / of;
        return new Ranking(rank, of, 100.0 * (of - rank + 1) / of, topPercent, RankingTier.of(topPercent));
    }
}
