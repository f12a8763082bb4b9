package dev.pypianalytics.downloads;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * {@code dataFreshness} in {@code /actuator/health}: the last day with downloads, the last day checked
 * complete, how many days are known to be incomplete and how many days behind today the data is. Stale
 * data is reported, not treated as down: the API still answers correctly for the days it has.
 */
@Component
class DataFreshnessHealthIndicator implements ReactiveHealthIndicator {

    private final WarehouseStats stats;

    DataFreshnessHealthIndicator(WarehouseStats stats) {
        this.stats = stats;
    }

    @Override
    public Mono<Health> health() {
        return Mono.zip(stats.totals(), stats.lastCompleteDay().map(day -> day.toString()).defaultIfEmpty(""), stats.gaps())
                .map(all -> {
                    LocalDate lastDay = all.getT1().lastDay();
                    Health.Builder health = Health.up()
                            .withDetail("lastDay", lastDay == null ? "none" : lastDay.toString())
                            .withDetail("lastCompleteDay", all.getT2().isEmpty() ? "none" : all.getT2())
                            .withDetail("knownGaps", all.getT3().size());
                    if (lastDay != null) {
                        health.withDetail("daysBehind", LocalDate.now(ZoneOffset.UTC).toEpochDay() - lastDay.toEpochDay());
                    }
                    return health.build();
                })
                .timeout(Duration.ofSeconds(3))
                .onErrorResume(error -> Mono.just(Health.unknown().withDetail("error", "freshness not readable").build()));
    }
}
