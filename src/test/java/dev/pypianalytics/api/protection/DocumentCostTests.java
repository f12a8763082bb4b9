package dev.pypianalytics.api.protection;

import com.apollographql.federation.graphqljava.Federation;
import dev.pypianalytics.planner.DateRange;
import graphql.execution.CoercedVariables;
import graphql.language.Document;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.parser.Parser;
import graphql.scalars.ExtendedScalars;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole request, checked and costed before it runs, on the real schema: argument problems named,
 * no arithmetic that wraps around, statements counted per distinct question, series costed by the data's
 * real span. Expected figures are worked out by hand from the rules in {@link DocumentCost}.
 */
class DocumentCostTests {

    /** Three years of data, as the demo set has. */
    static final DateRange THREE_YEARS = new DateRange(LocalDate.of(2023, 4, 1), LocalDate.of(2026, 3, 31));

    static GraphQLSchema schema;

    @BeforeAll
    static void schema() throws IOException {
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .scalar(ExtendedScalars.GraphQLLong).scalar(ExtendedScalars.Date).scalar(ExtendedScalars.DateTime).build();
        schema = Federation.transform(Files.readString(Path.of("graphql/schema.graphqls")), wiring)
                .fetchEntities(environment -> List.of()).resolveEntityType(environment -> null).build();
    }

    static DocumentCost cost(String query, DateRange span) {
        return cost(query, Map.of(), span);
    }

    static DocumentCost cost(String query, Map<String, Object> variables, DateRange span) {
        Document document = Parser.parse(query);
        // As the request budget does: with the variables graphql-java has coerced (plain maps and strings here).
        var operation = ExecutableNormalizedOperationFactory.createExecutableNormalizedOperation(schema, document, null,
                CoercedVariables.of(variables));
        return DocumentCost.of(operation.getTopLevelFields(), span);
    }

    @Test
    void aLimitOutOfRangeIsAProblemNamingTheFieldAndNotAWrappedAroundCost() {
        DocumentCost cost = cost("{ x: project(name: \"requests\") { versions(limit: 2147483647) { name } } "
                + "trends { top(limit: 2147483647) { name } } }", THREE_YEARS);
        assertThat(cost.problems()).containsExactly(
                "x.versions: limit must be between 1 and 1000, got 2147483647.",
                "trends.top: limit must be between 1 and 100, got 2147483647.");
    }

    @Test
    void hugeListsSaturateInsteadOfOverflowing() {
        // 100 projects × 1000 versions × a daily series over three years: far beyond any limit, never negative.
        DocumentCost cost = cost("{ projects(first: 100) { edges { node { versions(limit: 1000) { series(granularity: DAY) { date } } } } } }",
                THREE_YEARS);
        assertThat(cost.problems()).isEmpty();
        assertThat(cost.cost()).isGreaterThan(100L * 1000 * 100);
    }

    @Test
    void fortySplitDailySeriesWithDistinctRangesCostFarMoreThanTheLimit() {
        String fields = IntStream.range(0, 40).mapToObj(i -> "s" + i + ": downloadsBy(by: VERSION, top: 20, granularity: DAY, "
                + "filter: { from: \"2023-04-01\", to: \"" + LocalDate.of(2026, 3, 31).minusDays(i) + "\" }) { value }")
                .collect(Collectors.joining(" "));
        DocumentCost cost = cost("{ project(name: \"boto3\") { " + fields + " } }", THREE_YEARS);
        // Each: 1 + (≈1,060 days × 21 series + 9) / 10 ≈ 2,200; forty of them ≈ 89,000 (plus 40 statements).
        assertThat(cost.cost()).isGreaterThan(80_000);
        assertThat(cost.statements()).isEqualTo(40);
    }

    @Test
    void everyDistinctQuestionIsAStatementAndIdenticalOnesAreOne() {
        String distinct = IntStream.range(0, 1000).mapToObj(i -> "t" + i + ": totalDownloads(filter: { to: \""
                + LocalDate.of(2026, 3, 31).minusDays(i) + "\" })").collect(Collectors.joining(" "));
        assertThat(cost("{ project(name: \"boto3\") { " + distinct + " } }", THREE_YEARS).statements()).isEqualTo(1000);

        String same = IntStream.range(0, 1000).mapToObj(i -> "t" + i + ": totalDownloads(filter: { to: \"2026-03-01\" })")
                .collect(Collectors.joining(" "));
        assertThat(cost("{ project(name: \"boto3\") { " + same + " } }", THREE_YEARS).statements()).isEqualTo(1);
    }

    @Test
    void manyProjectsAskingTheSameFieldsShareTheirStatements() {
        // A router's _entities call for 100 projects' summary and ranking: metadata (2) + ranking (1).
        String entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { summary ranking { rank } } } }";
        List<Map<String, Object>> hundred = IntStream.range(0, 100)
                .mapToObj(i -> Map.<String, Object>of("__typename", "Project", "name", "p" + i)).toList();
        DocumentCost cost = cost(entities, Map.of("r", hundred), THREE_YEARS);
        assertThat(cost.problems()).isEmpty();
        assertThat(cost.statements()).isEqualTo(3);

        // The same for two aliased project fields: one statement per question, not per project.
        assertThat(cost("{ a: project(name: \"pip\") { totalDownloads summary } b: project(name: \"uv\") { totalDownloads summary } }",
                THREE_YEARS).statements()).isEqualTo(3);
    }

    @Test
    void aRankingOverDatesCostsItsDaysAndEachFilterIsAStatement() {
        // All time (with or without a country): project 1, ranking 1 + rank 1, one statement.
        assertThat(cost("{ project(name: \"pip\") { ranking { rank } } }", THREE_YEARS).cost()).isEqualTo(3 + DocumentCost.STATEMENT_COST);
        assertThat(cost("{ project(name: \"pip\") { ranking(filter: { country: \"DE\" }) { rank } } }", THREE_YEARS).cost())
                .isEqualTo(3 + DocumentCost.STATEMENT_COST);
        // March 2026 (31 days): ranking 1 + (31 + 9) / 10 = 5; from 2025-04-01 to the data's last day (365 days): 1 + 37.
        assertThat(cost("{ project(name: \"pip\") { ranking(filter: { from: \"2026-03-01\", to: \"2026-03-31\" }) { rank } } }",
                THREE_YEARS).cost()).isEqualTo(1 + 5 + 1 + DocumentCost.STATEMENT_COST);
        assertThat(cost("{ project(name: \"pip\") { ranking(filter: { from: \"2025-04-01\" }) { rank } } }", THREE_YEARS).cost())
                .isEqualTo(1 + 38 + 1 + DocumentCost.STATEMENT_COST);
        // Two filters are two questions; the same filter twice is one.
        assertThat(cost("{ project(name: \"pip\") { a: ranking { rank } b: ranking(filter: { country: \"DE\" }) { rank } "
                + "c: ranking(filter: { country: \"DE\" }) { rank } } }", THREE_YEARS).statements()).isEqualTo(2);
    }

    @Test
    void aRankingFilterOutOfShapeIsAProblem() {
        assertThat(cost("{ project(name: \"pip\") { ranking(filter: { country: \"Germany\" }) { rank } } }", THREE_YEARS).problems())
                .singleElement().asString().contains("filter.country");
        assertThat(cost("{ project(name: \"pip\") { ranking(filter: { from: \"2026-03-02\", to: \"2026-03-01\" }) { rank } } }",
                THREE_YEARS).problems()).singleElement().asString().contains("is after");
    }

    @Test
    void moreThanAHundredEntitiesIsAProblem() {
        String entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { name } } }";
        List<Map<String, Object>> many = IntStream.range(0, 101)
                .mapToObj(i -> Map.<String, Object>of("__typename", "Project", "name", "p" + i)).toList();
        assertThat(cost(entities, Map.of("r", many), THREE_YEARS).problems()).singleElement().asString()
                .contains("101 entities; at most 100");
    }

    @Test
    void anOpenRangeIsCostedByTheDataItHas() {
        String thirteenVersionSeries = "{ project(name: \"boto3\") { versions(limit: 13) { series(granularity: DAY) { date } } } }";
        DateRange twoDays = new DateRange(LocalDate.of(2026, 3, 30), LocalDate.of(2026, 3, 31));
        // Two days: project 1, versions 1, 13 × (series 1 + (2 buckets + 9) / 10 = 1 + date 1), and three statements
        // (the versions' downloads and upload times, their series).
        assertThat(cost(thirteenVersionSeries, twoDays).cost()).isEqualTo(1 + 1 + 13 * (1 + 1 + 1) + 3 * DocumentCost.STATEMENT_COST);
        // Unknown span (not read yet): the assumed ten years make it far dearer.
        assertThat(cost(thirteenVersionSeries, null).cost()).isGreaterThan(13 * 366);
    }

    @Test
    void aSeriesOfVersionsFollowsTheRangeOfItsVersionsFilter() {
        DocumentCost month = cost("{ project(name: \"boto3\") { versions(limit: 10, filter: { from: \"2026-03-01\", to: \"2026-03-31\" }) "
                + "{ series(granularity: DAY) { date } } } }", THREE_YEARS);
        DocumentCost allTime = cost("{ project(name: \"boto3\") { versions(limit: 10) { series(granularity: DAY) { date } } } }", THREE_YEARS);
        assertThat(month.cost()).isLessThan(allTime.cost() / 10);
    }

    @Test
    void theRegisteredPackagePageFitsTheDefaultLimits() throws IOException {
        String page = Files.readString(Path.of("graphql/operations/PackagePage.graphql"));
        DocumentCost cost = cost(page, Map.of("name", "boto3", "filter", Map.of("ci", "EXCLUDE")), THREE_YEARS);
        assertThat(cost.problems()).isEmpty();
        assertThat(cost.cost()).isLessThan(5000);
        // metadata 2, ranking 1, summary 2, total 1, series 1, versions 2, three breakdowns, the matrix.
        assertThat(cost.statements()).isEqualTo(13);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DAY", "WEEK", "MONTH", "QUARTER", "YEAR"})
    void everyRegisteredOperationFitsTheDefaultLimitsAtEveryGranularity(String granularity) throws IOException {
        Map<String, Map<String, Object>> variables = Map.ofEntries(
                Map.entry("PackagePage", Map.of("name", "boto3", "granularity", granularity)),
                Map.entry("PackageOverview", Map.of("name", "boto3", "granularity", granularity)),
                Map.entry("PackageBreakdowns", Map.of("name", "boto3", "granularity", granularity)),
                Map.entry("PackageDetails", Map.of("name", "boto3")),
                Map.entry("DataFreshnessStatus", Map.of()),
                Map.entry("CompareSeries", Map.of("names", IntStream.range(0, 10).mapToObj(i -> "p" + i).toList(), "granularity", granularity)),
                Map.entry("ComparePackages", Map.of("names", IntStream.range(0, 10).mapToObj(i -> "p" + i).toList(), "granularity", granularity)),
                Map.entry("VersionHistory", Map.of("name", "boto3", "granularity", granularity)),
                Map.entry("SearchProjects", Map.of("prefix", "bo", "first", 100)),
                Map.entry("LandingPage", Map.of()),
                Map.entry("ProjectTotal", Map.of("name", "boto3", "filter", Map.of("ci", "EXCLUDE"))),
                Map.entry("DataFreshness", Map.of()));
        try (var files = Files.list(Path.of("graphql/operations"))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString().replace(".graphql", "");
                DocumentCost cost = cost(Files.readString(file), variables.get(name), THREE_YEARS);
                assertThat(cost.problems()).as(name).isEmpty();
                assertThat(cost.cost()).as(name + " cost").isLessThanOrEqualTo(5000);
                assertThat(cost.statements()).as(name + " statements").isLessThanOrEqualTo(40);
            }
        }
    }

    @Test
    void invalidFiltersAreProblemsBeforeAnythingRuns() {
        DocumentCost cost = cost("{ project(name: \"boto3\") { totalDownloads(filter: { from: \"2026-03-02\", to: \"2026-03-01\" }) "
                + "breakdown(by: COUNTRY, filter: { countries: [\"usa\"] }) { total } } compare(names: [\"pip\"]) { name } }", THREE_YEARS);
        assertThat(cost.problems()).containsExactly(
                "project.totalDownloads: filter.from (2026-03-02) is after filter.to (2026-03-01).",
                "project.breakdown: filter.countries: 'usa' is not a two-letter upper-case country code like US.",
                "compare: compare takes 2 to 10 project names, got 1.");
    }
}
