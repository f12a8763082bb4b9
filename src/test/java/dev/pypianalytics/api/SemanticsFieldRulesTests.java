package dev.pypianalytics.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The request budget tells apart statements that differ only by a semantics choice. */
class SemanticsFieldRulesTests {

    @Test
    void breakdownsWithAndWithoutTheUnknownValueAreTwoStatements() {
        FieldRules.Statements included = FieldRules.statements("Project", "breakdown",
                Map.of("by", "COUNTRY", "limit", 10, "unknown", "INCLUDE"), null);
        FieldRules.Statements excluded = FieldRules.statements("Project", "breakdown",
                Map.of("by", "COUNTRY", "limit", 10, "unknown", "EXCLUDE"), null);
        FieldRules.Statements otherLimit = FieldRules.statements("Project", "breakdown",
                Map.of("by", "COUNTRY", "limit", 3, "unknown", "INCLUDE"), null);
        assertThat(included.key()).isNotEqualTo(excluded.key()).isEqualTo(otherLimit.key());
    }

    @Test
    void seriesWithAnotherWeekStartOrPartialChoiceAreOtherStatements() {
        FieldRules.Statements monday = FieldRules.statements("Project", "downloads",
                Map.of("granularity", "WEEK", "weekStart", "MONDAY", "partialBuckets", "INCLUDE"), null);
        FieldRules.Statements sunday = FieldRules.statements("Project", "downloads",
                Map.of("granularity", "WEEK", "weekStart", "SUNDAY", "partialBuckets", "INCLUDE"), null);
        assertThat(monday.key()).isNotEqualTo(sunday.key());
        assertThat(FieldRules.series("Project", "downloadsBy", Map.of("granularity", "WEEK", "top", 2, "weekStart", "SUNDAY"), null).series())
                .isEqualTo(3);
    }
}
