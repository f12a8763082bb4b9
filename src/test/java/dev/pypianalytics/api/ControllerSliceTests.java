package dev.pypianalytics.api;

import dev.pypianalytics.config.ApiProperties;
import dev.pypianalytics.config.WarehouseProperties;
import dev.pypianalytics.downloads.Breakdown;
import dev.pypianalytics.downloads.Breakdowns;
import dev.pypianalytics.downloads.Bucket;
import dev.pypianalytics.downloads.Comparison;
import dev.pypianalytics.downloads.DataVersion;
import dev.pypianalytics.downloads.Dependencies;
import dev.pypianalytics.downloads.Downloads;
import dev.pypianalytics.downloads.HotProjects;
import dev.pypianalytics.downloads.ProjectMetadata;
import dev.pypianalytics.downloads.ProjectNames;
import dev.pypianalytics.downloads.ProjectSearch;
import dev.pypianalytics.downloads.SplitSeries;
import dev.pypianalytics.downloads.Trends;
import dev.pypianalytics.downloads.VersionHistory;
import dev.pypianalytics.downloads.WarehouseCapabilities;
import dev.pypianalytics.downloads.WarehouseStats;
import dev.pypianalytics.downloads.DataFreshness;
import dev.pypianalytics.github.GithubRepositories;
import dev.pypianalytics.planner.Dimension;
import dev.pypianalytics.planner.DownloadFilter;
import dev.pypianalytics.planner.Granularity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.graphql.test.autoconfigure.GraphQlTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * The controllers (projects, GitHub, trends, compare) over the real schema, without ClickHouse: the services behind them
 * answer from memory (the shaping services {@link HotProjects} and {@link Comparison} run for real over them), so these check what the API layer itself does — argument checks and their errors, null handling,
 * page sizes and cursors, batching, the top-N + other cut per field — in milliseconds. Whether the answers
 * are true is for the truth tests on the engine ({@link DownloadsTruthIntegrationTests}).
 */
@GraphQlTest(controllers = {ProjectController.class, TrendsController.class, WarehouseController.class, GithubController.class})
@Import({ProjectLoaders.class, BucketCoverage.class, Federation.class, GraphQlScalars.class, GraphQlErrors.class,
        HotProjects.class, Comparison.class, ControllerSliceTests.Limits.class})
class ControllerSliceTests {

    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ApiProperties.class, WarehouseProperties.class})
    // The request's depth, argument and cost checks (package-private, found by name).
    @ComponentScan(basePackages = "dev.pypianalytics.api.protection", useDefaultFilters = false,
            includeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*\\.QueryLimits"))
    static class Limits {
        @Bean
        MeterRegistry meters() {
            return new SimpleMeterRegistry();
        }
    }

    static final LocalDate FIRST = LocalDate.parse("2025-01-01");
    static final LocalDate LAST = LocalDate.parse("2026-03-31");

    @Autowired
    GraphQlTester graphQl;

    @MockitoBean
    ProjectNames projects;
    @MockitoBean
    ProjectSearch search;
    @MockitoBean
    DataVersion versions;
    @MockitoBean
    Downloads downloads;
    @MockitoBean
    ProjectMetadata metadata;
    @MockitoBean
    Dependencies dependencies;
    @MockitoBean
    Breakdowns breakdowns;
    @MockitoBean
    SplitSeries splitSeries;
    @MockitoBean
    VersionHistory versionHistory;
    @MockitoBean
    Trends trends;
    @MockitoBean
    WarehouseStats stats;
    @MockitoBean
    WarehouseCapabilities capabilities;
    @MockitoBean
    DataFreshness freshness;
    @MockitoBean
    GithubRepositories repositories;

    @BeforeEach
    void warehouse() {
        DataVersion.Snapshot snapshot = new DataVersion.Snapshot("v1", FIRST, LAST);
        when(versions.current()).thenReturn(Mono.just(snapshot));
        when(versions.lastRead()).thenReturn(Optional.of(snapshot));
        when(versions.lastDay()).thenReturn(Mono.just(LAST));
        when(downloads.lastDay()).thenReturn(Mono.just(LAST));
        when(projects.exists(any())).thenAnswer(call -> Mono.just(List.of("requests", "numpy").contains(call.<String>getArgument(0))));
    }

    @Test
    void anUnknownProjectIsNullWithoutAnError() {
        graphQl.document("{ project(name: \"no-such-project\") { name } }").execute()
                .errors().verify()
                .path("project").valueIsNull();
    }

    @Test
    void aMalformedProjectNameIsABadRequestThatNeverReachesTheWarehouse() {
        graphQl.document("{ project(name: \"requests; DROP TABLE pypi\") { name } }").execute()
                .errors().satisfy(errors -> {
                    assertThat(errors).hasSize(1);
                    assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
                    assertThat(errors.getFirst().getMessage()).doesNotContain("pypi.");
                });
        verifyNoInteractions(projects);
    }

    @Test
    void projectNamesAreNormalizedAsPep503Says() {
        graphQl.document("{ project(name: \"Requests\") { name } }").execute()
                .path("project.name").entity(String.class).isEqualTo("requests");
    }

    @Test
    void aPageHasAtMostFirstHitsAndSaysWhetherMoreFollow() {
        when(search.page(eq("re"), any(), eq(3))).thenReturn(Mono.just(List.of(new ProjectSearch.Hit("requests", 30),
                new ProjectSearch.Hit("regex", 20), new ProjectSearch.Hit("rich", 10))));
        graphQl.document("{ projects(prefix: \"Re\", first: 2) { edges { node { name } } pageInfo { hasNextPage endCursor } } }").execute()
                .path("projects.edges[*].node.name").entityList(String.class).containsExactly("requests", "regex")
                .path("projects.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true)
                .path("projects.pageInfo.endCursor").entity(String.class).isEqualTo(Cursors.encode(new ProjectSearch.Hit("regex", 20)));
    }

    @Test
    void theLastPageSaysNoMoreFollow() {
        when(search.page(any(), any(), anyInt())).thenReturn(Mono.just(List.of(new ProjectSearch.Hit("requests", 30))));
        graphQl.document("{ projects(prefix: \"req\", first: 2) { edges { node { name } } pageInfo { hasNextPage endCursor } } }").execute()
                .path("projects.edges[*].node.name").entityList(String.class).containsExactly("requests")
                .path("projects.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
    }

    @Test
    void pageSizesOutOfRangeAndBadCursorsAreBadRequests() {
        for (String arguments : List.of("first: 0", "first: 101", "after: \"not-a-cursor\"", "prefix: \"re%\"")) {
            graphQl.document("{ projects(" + arguments + ") { edges { node { name } } } }").execute()
                    .errors().satisfy(errors -> {
                        assertThat(errors).as(arguments).isNotEmpty();
                        assertThat(errors.getFirst().getErrorType()).as(arguments).isEqualTo(ErrorType.BAD_REQUEST);
                    });
        }
        verifyNoInteractions(search);
    }

    @Test
    void breakdownsOfOneFilterAreOneQuestionAtTheLargestLimitAndEachFieldCutsItsOwnOther() {
        Breakdown top2 = new Breakdown(List.of(new Breakdown.Entry("US", "United States", 60), new Breakdown.Entry("DE", "Germany", 30)), 10, 100);
        when(breakdowns.of(anyList(), eq(Dimension.COUNTRY), any(), eq(2))).thenReturn(Mono.just(Map.of("requests", top2)));

        graphQl.document("{ project(name: \"requests\") { one: breakdown(by: COUNTRY, limit: 1) { entries { value name downloads } other total } "
                        + "two: breakdown(by: COUNTRY, limit: 2) { entries { value } other total } } }").execute()
                .path("project.one.entries[*].value").entityList(String.class).containsExactly("US")
                .path("project.one.entries[0].name").entity(String.class).isEqualTo("United States")
                .path("project.one.other").entity(Long.class).isEqualTo(40L)
                .path("project.one.total").entity(Long.class).isEqualTo(100L)
                .path("project.two.entries[*].value").entityList(String.class).containsExactly("US", "DE")
                .path("project.two.other").entity(Long.class).isEqualTo(10L);
        verify(breakdowns, times(1)).of(anyList(), any(), any(), anyInt());
    }

    @Test
    void aProjectWithoutDownloadsHasAnEmptyBreakdown() {
        when(breakdowns.of(anyList(), any(), any(), anyInt())).thenReturn(Mono.just(Map.of()));
        graphQl.document("{ project(name: \"numpy\") { breakdown(by: SYSTEM) { entries { value } other total } } }").execute()
                .path("project.breakdown.entries").entityList(Object.class).hasSize(0)
                .path("project.breakdown.other").entity(Long.class).isEqualTo(0L)
                .path("project.breakdown.total").entity(Long.class).isEqualTo(0L);
    }

    @Test
    void limitsOutOfRangeAreBadRequestsNamingTheArgument() {
        Map<String, String> cases = Map.of(
                "breakdown(by: SYSTEM, limit: 101) { total }", "limit must be between 1 and 100",
                "downloadsBy(by: SYSTEM, top: 21) { value }", "top must be between 1 and 20",
                "versions(limit: 0) { name }", "limit must be between 1 and 1000",
                "dependents(limit: 500) { name }", "limit must be between 1 and 100");
        cases.forEach((field, message) -> graphQl.document("{ project(name: \"requests\") { " + field + " } }").execute()
                .errors().satisfy(errors -> {
                    assertThat(errors).as(field).isNotEmpty();
                    assertThat(errors.getFirst().getErrorType()).as(field).isEqualTo(ErrorType.BAD_REQUEST);
                    assertThat(errors.getFirst().getMessage()).as(field).contains(message);
                }));
        verifyNoInteractions(breakdowns, splitSeries, versionHistory, dependencies);
    }

    @Test
    void badFiltersAreBadRequestsThatSayWhy() {
        graphQl.document("{ project(name: \"requests\") { totalDownloads(filter: { from: \"2026-03-01\", to: \"2026-02-01\" }) } }").execute()
                .errors().satisfy(errors -> {
                    assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
                    assertThat(errors.getFirst().getMessage()).contains("is after filter.to");
                });
        graphQl.document("{ project(name: \"requests\") { totalDownloads(filter: { from: \"2026-02-30\" }) } }").execute()
                .errors().satisfy(errors -> assertThat(errors).isNotEmpty());
    }

    @Test
    void aSplitSeriesListsTheLeadersThenOtherWithCutBucketsMarked() {
        List<Bucket> buckets = List.of(new Bucket(LocalDate.parse("2025-01-01"), 5),
                new Bucket(LocalDate.parse("2026-01-01"), 7));
        when(splitSeries.of(anyList(), eq(Dimension.INSTALLER), any(), eq(Granularity.YEAR), eq(1))).thenReturn(Mono.just(Map.of("requests",
                List.of(new SplitSeries.Line("pip", null, false, buckets), new SplitSeries.Line("other", null, true, buckets)))));

        graphQl.document("{ project(name: \"requests\") { downloadsBy(by: INSTALLER, granularity: YEAR, top: 1) "
                        + "{ value other downloads { date downloads partial } } } }").execute()
                .path("project.downloadsBy[*].value").entityList(String.class).containsExactly("pip", "other")
                .path("project.downloadsBy[*].other").entityList(Boolean.class).containsExactly(false, true)
                .path("project.downloadsBy[0].downloads[*].downloads").entityList(Long.class).containsExactly(5L, 7L)
                // The data runs from 2025-01-01 to 2026-03-31: 2025 is whole, 2026 is cut.
                .path("project.downloadsBy[0].downloads[*].partial").entityList(Boolean.class).containsExactly(false, true);

        graphQl.document("{ project(name: \"requests\") { downloadsBy(by: INSTALLER, granularity: YEAR, top: 1, partialBuckets: EXCLUDE) "
                        + "{ value downloads { date } } } }").execute()
                .path("project.downloadsBy[0].downloads[*].date").entityList(String.class).containsExactly("2025-01-01");
    }

    @Test
    void versionsAreListedAsTheServiceOrdersThemUpToEachFieldsLimit() {
        when(versionHistory.uploadTimes(anyList())).thenReturn(Mono.just(Map.of()));
        when(versionHistory.newestFirst(anyList(), any(), eq(3), any())).thenReturn(Mono.just(Map.of("requests", List.of(
                new VersionHistory.VersionDownloads("2.10.0", null, 3), new VersionHistory.VersionDownloads("2.9.1", null, 2),
                new VersionHistory.VersionDownloads("2.9.0", null, 1)))));

        graphQl.document("{ project(name: \"requests\") { a: versions(limit: 2) { name uploadDay downloads } b: versions(limit: 3) { name } } }")
                .execute()
                .path("project.a[*].name").entityList(String.class).containsExactly("2.10.0", "2.9.1")
                .path("project.a[0].uploadDay").valueIsNull()
                .path("project.b[*].name").entityList(String.class).containsExactly("2.10.0", "2.9.1", "2.9.0");
    }

    @Test
    void aFailingQuestionFailsOnlyTheFieldsThatAskedIt() {
        when(downloads.totals(anyList(), any(), isNull())).thenAnswer(call -> call.<DownloadFilter>getArgument(1).ci() == DownloadFilter.CiMode.ONLY
                ? Mono.error(new InvalidInputException("This warehouse cannot answer that."))
                : Mono.just(List.of(new Downloads.Total("requests", null, 7))));

        graphQl.document("{ a: project(name: \"requests\") { totalDownloads(filter: { ci: ONLY }) } "
                        + "b: project(name: \"requests\") { totalDownloads } }").execute()
                .errors().satisfy(errors -> {
                    assertThat(errors).hasSize(1);
                    assertThat(errors.getFirst().getPath()).isEqualTo("a.totalDownloads");
                    assertThat(errors.getFirst().getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
                    assertThat(errors.getFirst().getMessage()).isEqualTo("This warehouse cannot answer that.");
                })
                // totalDownloads is non-null: its project is null instead.
                .path("a").valueIsNull()
                .path("b.totalDownloads").entity(Long.class).isEqualTo(7L);
    }

    @Test
    void compareTakesTwoToTenNames() {
        for (String names : List.of("[\"requests\"]", "[" + "\"p\", ".repeat(10) + "\"p\"]")) {
            graphQl.document("{ compare(names: " + names + ") { name } }").execute()
                    .errors().satisfy(errors -> {
                        assertThat(errors).as(names).isNotEmpty();
                        assertThat(errors.getFirst().getErrorType()).as(names).isEqualTo(ErrorType.BAD_REQUEST);
                        assertThat(errors.getFirst().getMessage()).as(names).contains("compare takes 2 to 10 project names");
                    });
        }
        verifyNoInteractions(downloads);
    }

    @Test
    void compareAnswersEachNameOnceInTheOrderAskedWithEmptySeriesForProjectsWithoutDownloads() {
        when(downloads.series(eq(List.of("uv", "pip", "nothing-here")), any(), eq(Granularity.YEAR), isNull())).thenReturn(Mono.just(List.of(
                new Downloads.Point("pip", LocalDate.parse("2025-01-01"), null, 10),
                new Downloads.Point("uv", LocalDate.parse("2025-01-01"), null, 4),
                new Downloads.Point("uv", LocalDate.parse("2026-01-01"), null, 6))));

        graphQl.document("{ compare(names: [\"UV\", \"pip\", \"uv\", \"Nothing_Here\"], granularity: YEAR) { name downloads { date downloads } } }")
                .execute()
                .path("compare[*].name").entityList(String.class).containsExactly("uv", "pip", "nothing-here")
                .path("compare[0].downloads[*].downloads").entityList(Long.class).containsExactly(4L, 6L)
                .path("compare[1].downloads[*].downloads").entityList(Long.class).containsExactly(10L)
                .path("compare[2].downloads").entityList(Object.class).hasSize(0);
    }

    @Test
    void anEmptyWarehouseHasNoTrendsAndNoLastDay() {
        when(downloads.lastDay()).thenReturn(Mono.empty());
        graphQl.document("{ trends { asOf top(days: 7, limit: 3) { name } emerging { name } hot { name } } }").execute()
                .path("trends.asOf").valueIsNull()
                .path("trends.top").entityList(Object.class).hasSize(0)
                .path("trends.emerging").entityList(Object.class).hasSize(0)
                .path("trends.hot").entityList(Object.class).hasSize(0);
        verifyNoInteractions(trends);
    }

    @Test
    void trendsCountBackFromTheLastDayWithData() {
        when(trends.top(eq(LAST), eq(7), any(), eq(2))).thenReturn(Mono.just(List.of(new Trends.Ranked("boto3", 9), new Trends.Ranked("pip", 8))));
        graphQl.document("{ trends { asOf top(days: 7, limit: 2) { name downloads } } }").execute()
                .path("trends.asOf").entity(String.class).isEqualTo(LAST.toString())
                .path("trends.top[*].name").entityList(String.class).containsExactly("boto3", "pip")
                .path("trends.top[*].downloads").entityList(Long.class).containsExactly(9L, 8L);
    }

    @Test
    void trendsListSizesOutOfRangeAreBadRequests() {
        for (String field : List.of("top(days: 0) { name }", "top(limit: 101) { name }", "emerging(months: 37) { name }",
                "hot(minDownloads: -1) { name }", "recentReleases(limit: 0) { name }")) {
            graphQl.document("{ trends { " + field + " } }").execute()
                    .errors().satisfy(errors -> {
                        assertThat(errors).as(field).isNotEmpty();
                        assertThat(errors.getFirst().getErrorType()).as(field).isEqualTo(ErrorType.BAD_REQUEST);
                    });
        }
        verifyNoInteractions(trends);
    }

    @Test
    void hotProjectsCarryTheirGrowthAndTheirYearWithAMonthTheDataStartsInsideMarkedPartial() {
        // The data starts mid-June 2025: June is cut; March 2026 (the data's last day is its last) is whole.
        DataVersion.Snapshot snapshot = new DataVersion.Snapshot("v1", LocalDate.parse("2025-06-15"), LAST);
        when(versions.current()).thenReturn(Mono.just(snapshot));
        when(versions.lastRead()).thenReturn(Optional.of(snapshot));
        LocalDate march = LocalDate.parse("2026-03-01");
        when(trends.hot(LAST, 20, 5)).thenReturn(Mono.just(List.of(new Trends.Hot("uv", march, 40, 100), new Trends.Hot("ruff", march, 8, 10))));
        when(downloads.series(eq(List.of("uv", "ruff")), argThat(filter -> filter.range().from().equals(LocalDate.parse("2025-04-01"))
                && filter.range().to().equals(LAST)), eq(Granularity.MONTH), isNull())).thenReturn(Mono.just(List.of(
                new Downloads.Point("uv", LocalDate.parse("2025-06-01"), null, 5), new Downloads.Point("uv", march, null, 100))));

        graphQl.document("{ trends { hot(minDownloads: 20, limit: 5) { name month previousMonth lastMonth growth monthly { date downloads partial } } } }")
                .execute()
                .path("trends.hot[*].name").entityList(String.class).containsExactly("uv", "ruff")
                .path("trends.hot[0].month").entity(String.class).isEqualTo("2026-03-01")
                .path("trends.hot[0].previousMonth").entity(Long.class).isEqualTo(40L)
                .path("trends.hot[0].lastMonth").entity(Long.class).isEqualTo(100L)
                .path("trends.hot[*].growth").entityList(Double.class).containsExactly(2.5, 1.25)
                .path("trends.hot[0].monthly[*].date").entityList(String.class).containsExactly("2025-06-01", "2026-03-01")
                .path("trends.hot[0].monthly[*].downloads").entityList(Long.class).containsExactly(5L, 100L)
                .path("trends.hot[0].monthly[*].partial").entityList(Boolean.class).containsExactly(true, false)
                .path("trends.hot[1].monthly").entityList(Object.class).hasSize(0);
        verify(downloads, times(1)).series(anyList(), any(), any(), any());
    }

    @Test
    void noHotProjectIsAnEmptyListWithoutASeriesQuestion() {
        when(trends.hot(any(), anyLong(), anyInt())).thenReturn(Mono.just(List.of()));
        graphQl.document("{ trends { hot { name } } }").execute()
                .path("trends.hot").entityList(Object.class).hasSize(0);
        verify(downloads, never()).series(anyList(), any(), any(), any());
    }

    @Test
    void compareMarksCutBucketsAndLeavesThemOutWhenAsked() {
        when(downloads.series(eq(List.of("uv", "pip")), any(), eq(Granularity.YEAR), isNull())).thenReturn(Mono.just(List.of(
                new Downloads.Point("pip", LocalDate.parse("2025-01-01"), null, 10), new Downloads.Point("pip", LocalDate.parse("2026-01-01"), null, 3),
                new Downloads.Point("uv", LocalDate.parse("2026-01-01"), null, 6))));

        // The data runs from 2025-01-01 to 2026-03-31: 2025 is whole, 2026 is cut.
        graphQl.document("{ compare(names: [\"uv\", \"pip\"], granularity: YEAR) { name downloads { date downloads partial } } }").execute()
                .path("compare[0].downloads[*].partial").entityList(Boolean.class).containsExactly(true)
                .path("compare[1].downloads[*].downloads").entityList(Long.class).containsExactly(10L, 3L)
                .path("compare[1].downloads[*].partial").entityList(Boolean.class).containsExactly(false, true);
        graphQl.document("{ compare(names: [\"uv\", \"pip\"], granularity: YEAR, partialBuckets: EXCLUDE) { name downloads { date } } }").execute()
                .path("compare[*].name").entityList(String.class).containsExactly("uv", "pip")
                .path("compare[0].downloads").entityList(Object.class).hasSize(0)
                .path("compare[1].downloads[*].date").entityList(String.class).containsExactly("2025-01-01");
    }

    /** A page of two projects: their fields are loaded together (two separate {@code project} fields resolve apart). */
    static final String PAGE = "projects(first: 2) { edges { node { name repository { %s } } } }";

    void pageOfRequestsAndNumpy() {
        when(search.page(any(), any(), anyInt())).thenReturn(Mono.just(List.of(new ProjectSearch.Hit("requests", 30),
                new ProjectSearch.Hit("numpy", 20))));
    }

    @Test
    void dependencyDownloadsOfAPageAreOneUnfilteredQuestionAndARequiredProjectWithoutDownloadsHasZero() {
        pageOfRequestsAndNumpy();
        when(dependencies.of(anyList())).thenReturn(Mono.just(Map.of(
                "requests", List.of(new Dependencies.Requirement("urllib3", "urllib3<3,>=1.21.1", false),
                        new Dependencies.Requirement("not-on-pypi", "not-on-pypi; extra == \"x\"", true)),
                "numpy", List.of(new Dependencies.Requirement("urllib3", "urllib3>=2", false)))));
        when(downloads.totals(anyList(), any(), isNull())).thenReturn(Mono.just(List.of(new Downloads.Total("urllib3", null, 42))));

        graphQl.document("{ projects(first: 2) { edges { node { dependencies { name downloads } } } } }").execute()
                .path("projects.edges[0].node.dependencies[*].downloads").entityList(Long.class).containsExactly(42L, 0L)
                .path("projects.edges[1].node.dependencies[*].downloads").entityList(Long.class).containsExactly(42L);
        verify(downloads, times(1)).totals(argThat(names -> Set.copyOf(names).equals(Set.of("urllib3", "not-on-pypi"))),
                eq(DownloadFilter.NONE), isNull());
        verify(downloads, times(1)).totals(anyList(), any(), any());
    }

    @Test
    void repositoriesOfAPagesProjectsAreOneQuestionAndAProjectWithoutOneHasNone() {
        pageOfRequestsAndNumpy();
        when(repositories.of(anyList())).thenReturn(Mono.just(Map.of("requests",
                new GithubRepositories.Repository("requests", "psf/requests", "11", 50, 9, 4, 3, 2))));

        graphQl.document("{ " + PAGE.formatted("name url stars forks openedIssues pullRequests contributors") + " }").execute()
                .path("projects.edges[0].node.repository.name").entity(String.class).isEqualTo("psf/requests")
                .path("projects.edges[0].node.repository.url").entity(String.class).isEqualTo("https://github.com/psf/requests")
                .path("projects.edges[0].node.repository.stars").entity(Long.class).isEqualTo(50L)
                .path("projects.edges[0].node.repository.forks").entity(Long.class).isEqualTo(9L)
                .path("projects.edges[0].node.repository.openedIssues").entity(Long.class).isEqualTo(4L)
                .path("projects.edges[0].node.repository.pullRequests").entity(Long.class).isEqualTo(3L)
                .path("projects.edges[0].node.repository.contributors").entity(Long.class).isEqualTo(2L)
                .path("projects.edges[1].node.name").entity(String.class).isEqualTo("numpy")
                .path("projects.edges[1].node.repository").valueIsNull();
        verify(repositories, times(1)).of(argThat(projects -> Set.copyOf(projects).equals(Set.of("requests", "numpy"))));
    }

    @Test
    void starsOverTimeAreOneQuestionPerRangeForAllRepositories() {
        when(repositories.of(anyList())).thenReturn(Mono.just(Map.of(
                "requests", new GithubRepositories.Repository("requests", "psf/requests", "11", 3, 0, 0, 0, 0),
                "numpy", new GithubRepositories.Repository("numpy", "numpy/numpy", "22", 1, 0, 0, 0, 0))));
        LocalDate february = LocalDate.parse("2026-02-01");
        LocalDate march = LocalDate.parse("2026-03-01");
        when(repositories.starsOverTime(anyList(), eq(Granularity.MONTH), isNull(), isNull())).thenReturn(Mono.just(Map.of(
                "11", List.of(new GithubRepositories.StarCount(february, 2, 2), new GithubRepositories.StarCount(march, 1, 3)))));
        when(repositories.starsOverTime(anyList(), eq(Granularity.YEAR), eq(LocalDate.parse("2026-01-01")), eq(LAST))).thenReturn(Mono.just(Map.of(
                "11", List.of(new GithubRepositories.StarCount(LocalDate.parse("2026-01-01"), 3, 3)),
                "22", List.of(new GithubRepositories.StarCount(LocalDate.parse("2026-01-01"), 1, 1)))));

        pageOfRequestsAndNumpy();
        graphQl.document("{ " + PAGE.formatted("all: starsOverTime { date added stars } "
                        + "year: starsOverTime(granularity: YEAR, from: \"2026-01-01\", to: \"2026-03-31\") { stars }") + " }").execute()
                .path("projects.edges[0].node.repository.all[*].date").entityList(String.class).containsExactly("2026-02-01", "2026-03-01")
                .path("projects.edges[0].node.repository.all[*].added").entityList(Long.class).containsExactly(2L, 1L)
                .path("projects.edges[0].node.repository.all[*].stars").entityList(Long.class).containsExactly(2L, 3L)
                .path("projects.edges[0].node.repository.year[*].stars").entityList(Long.class).containsExactly(3L)
                // A repository nobody starred in the range has an empty series.
                .path("projects.edges[1].node.repository.all").entityList(Object.class).hasSize(0)
                .path("projects.edges[1].node.repository.year[*].stars").entityList(Long.class).containsExactly(1L);
        verify(repositories, times(2)).starsOverTime(argThat(ids -> Set.copyOf(ids).equals(Set.of("11", "22"))), any(), any(), any());
    }

    @Test
    void starsFromAfterToIsABadRequestThatNeverReachesTheWarehouse() {
        graphQl.document("{ project(name: \"requests\") { repository { starsOverTime(from: \"2026-03-01\", to: \"2026-02-01\") { stars } } } }")
                .execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(error -> assertThat(error.getErrorType()).isEqualTo(ErrorType.BAD_REQUEST))
                        .satisfies(error -> assertThat(error.getMessage()).endsWith("from (2026-03-01) must not be after to (2026-02-01).")));
        verifyNoInteractions(repositories);
    }

    @Test
    void capabilitiesSayWhetherGithubRepositoriesCanBeAnswered() {
        when(capabilities.current()).thenReturn(Mono.just(new WarehouseCapabilities.Answer(WarehouseProperties.Mode.OWNED, Set.of(), Set.of(),
                true, true, null)));
        when(repositories.available()).thenReturn(Mono.just(false));
        graphQl.document("{ capabilities { githubRepositories } }").execute()
                .path("capabilities.githubRepositories").entity(Boolean.class).isEqualTo(false);
    }
}
