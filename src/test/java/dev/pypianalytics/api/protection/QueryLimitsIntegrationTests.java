package dev.pypianalytics.api.protection;

import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.execution.ErrorType;


import static org.assertj.core.api.Assertions.assertThat;

/** Queries too deep or too costly are refused before they reach ClickHouse, with a message that says why. */
class QueryLimitsIntegrationTests extends IntegrationTest {

    @Test
    void aQueryNestedTooDeepIsRefused() {
        String deep = "{ __schema { types { fields { type { " + "ofType { ".repeat(12) + "name" + " }".repeat(12) + " } } } } }";
        graphQl.document(deep).execute().errors().satisfy(errors -> {
            assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
            assertThat(errors.getFirst().getMessage()).contains("levels deep; at most 15");
        });
    }

    @Test
    void aQueryCostingTooMuchIsRefusedAndAPackagePageIsNot() {
        graphQl.document("{ projects(first: 100) { edges { node { downloads(granularity: DAY) { date downloads } } } } }").execute()
                .errors().satisfy(errors -> {
                    assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
                    assertThat(errors.getFirst().getMessage()).contains("at most 5000 is allowed");
                });
        graphQl.document("{ projects(first: 100) { edges { node { downloads(granularity: YEAR) { date downloads } } } } }").execute()
                .errors().verify();
        graphQl.document("{ project(name: \"boto3\") { downloads(granularity: DAY, filter: { from: \"2025-04-01\", to: \"2026-03-31\" }) "
                + "{ date } byInstaller: downloadsBy(by: INSTALLER, top: 5) { value } breakdown(by: COUNTRY) { total } } }")
                .execute().errors().verify();
    }
}
