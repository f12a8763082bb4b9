package dev.pypianalytics.downloads;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * {@code dataFreshness} in {@code /actuator/health}: the last day with downloads, the last day checked
 * complete, how many days are known to be incomplete, how many days behind today the data is and its lag in
 * seconds. Past {@code pypi.freshness.warn-after} the status is {@code WARN} (ordered between DOWN and UP and
 * answered with HTTP 200 by application.yml: the API still answers correctly for the days it has), past
 * {@code pypi.freshness.down-after} it is {@code DOWN} (503). Both are unset by default: UP whatever the age.
 */
@Component
class DataFreshnessHealthIndicator implements ReactiveHealthIndicator {

    /** Data older than {@code pypi.freshness.warn-after}: served, but someone should look at the loading. */
    static final Status WARN = new Status("WARN", "The data is older than pypi.freshness.warn-after");

    private final WarehouseStats stats;
    private final DataFreshness freshness;

    DataFreshnessHealthIndicator(WarehouseStats stats, DataFreshness freshness) {
        this.stats = stats;
        this.freshness = freshness;
    }

    @Override
    public Mono<Health> health() {
        return Mono.zip(stats.totals(), stats.lastCompleteDay().map(day -> day.toString()).defaultIfEmpty(""), stats.gaps())
                .map(all -> {
                    LocalDate lastDay = all.getT1().lastDay();
                    Long lag = freshness.lag(lastDay);
                    Health.Builder health = switch (freshness.thresholds().level(lag)) {
                        case UP -> Health.up();
                        case WARN -> Health.status(WARN);
                        case DOWN -> Health.down();
                    };
                    health.withDetail("lastDay", lastDay == null ? "none" : lastDay.toString())
                            .withDetail("lastCompleteDay", all.getT2().isEmpty() ? "none" : all.getT2())
                            .withDetail("knownGaps", all.getT3().size());
                    if (lastDay != null) {
                        health.withDetail("daysBehind", LocalDate.now(ZoneOffset.UTC).toEpochDay() - lastDay.toEpochDay());
                        health.withDetail("lagSeconds", lag);
                    }
                    DataLag thresholds = freshness.thresholds();
                    if (thresholds.warnAfter() != null) {
                        health.withDetail("warnAfterSeconds", thresholds.warnAfter().toSeconds());
                    }
                    if (thresholds.downAfter() != null) {
                        health.withDetail("downAfterSeconds", thresholds.downAfter().toSeconds());
                    }
                    return health.build();
                })
                .timeout(Duration.ofSeconds(3))
                .onErrorResume(error -> Mono.just(Health.unknown().withDetail("error", "freshness not readable").build()));
    }
}
