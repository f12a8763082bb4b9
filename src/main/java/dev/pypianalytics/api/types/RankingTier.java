package dev.pypianalytics.api.types;

/**
 * The badges ClickPy's package page shows for a project's share from the top (its rank over the projects
 * with downloads, in percent): gold up to 1 %, silver up to 10 %, bronze up to 25 %, none below.
 */
public enum RankingTier {

    /** In the top 1 % (ClickPy's gold badge). */
    TOP_1_PERCENT(1),
    /** In the top 10 %, not the top 1 % (silver). */
    TOP_10_PERCENT(10),
    /** In the top 25 %, not the top 10 % (bronze). */
    TOP_25_PERCENT(25);

    private final double upTo;

    RankingTier(double upTo) {
        this.upTo = upTo;
    }

    /** The highest tier whose bound {@code topPercent} does not exceed (bounds included), or {@code null}. */
    public static RankingTier of(double topPercent) {
        for (RankingTier tier : values()) {
            if (topPercent > 0 && topPercent <= tier.upTo) {
                return tier;
            }
        }
        return null;
    }
}
