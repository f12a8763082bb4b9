package dev.pypianalytics.planner;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The planner on ClickPy's layout (table names, columns and sorting keys as its ClickHouse.md documents
 * them): no ci, filename or libc anywhere, no all-time per-dimension tables, an installer × type table whose
 * sorting key lacks {@code type}; attached read-only, so the raw table is never chosen.
 */
class ForeignLayoutPlannerTests {

    static final Map<String, List<String>> COLUMNS = new LinkedHashMap<>();
    static final Map<String, List<String>> SUMMING_KEYS = new LinkedHashMap<>();
    static final Map<String, Layout> LAYOUTS = new LinkedHashMap<>();

    /** A SummingMergeTree of {@code columns} + count, sorted by {@code key}, of {@code rows} rows (sizes from system.tables only). */
    static void summing(String name, long rows, List<String> key, String... columns) {
        List<String> all = new java.util.ArrayList<>(List.of(columns));
        all.add("count");
        COLUMNS.put(name, all);
        SUMMING_KEYS.put(name, key);
        LAYOUTS.put(name, new Layout(key.getFirst().equals("project"), Layout.DEFAULT_GRANULE, List.of(new Layout.Partition(null, null, rows))));
    }

    static {
        COLUMNS.put("pypi", List.of("date", "country_code", "project", "type", "installer", "python_minor", "system", "version"));
        LAYOUTS.put("pypi", Layout.unpartitioned(2_000_000_000_000L));
        summing("pypi_downloads", 700_000, List.of("project"), "project");
        summing("pypi_downloads_by_version", 9_000_000, List.of("project", "version"), "project", "version");
        summing("pypi_downloads_per_day", 400_000_000, List.of("project", "date"), "date", "project");
        summing("pypi_downloads_per_day_by_version", 3_000_000_000L, List.of("project", "version", "date"), "date", "project", "version");
        summing("pypi_downloads_per_day_by_version_by_country", 30_000_000_000L, List.of("project", "version", "date", "country_code"),
                "date", "project", "version", "country_code");
        summing("pypi_downloads_per_day_by_version_by_installer_by_type", 12_000_000_000L, List.of("project", "version", "date", "installer"),
                "project", "version", "date", "installer", "type");
        summing("pypi_downloads_per_day_by_version_by_installer_by_type_by_country", 60_000_000_000L,
                List.of("project", "version", "date", "country_code", "installer", "type"),
                "project", "version", "date", "installer", "type", "country_code");
    }

    static final Catalog ATTACHED = Catalog.derive(COLUMNS, SUMMING_KEYS, LAYOUTS, "pypi").withRawScans(false);

    static Shape shape(Dimension... dimensions) {
        return new Shape(Set.of(dimensions), Granularity.MONTH, new DateRange(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-03-31")));
    }

    @Test
    void aColumnOutsideTheSortingKeyOfASummingTableIsNotOneOfItsDimensions() {
        // Merges of that table add up rows differing only in type and keep one of their types.
        assertThat(ATTACHED.table("pypi_downloads_per_day_by_version_by_installer_by_type").orElseThrow().dimensions())
                .containsExactlyInAnyOrder(Dimension.VERSION, Dimension.INSTALLER);
        // So installer × file type comes from the table that sorts by both.
        assertThat(ATTACHED.choose(shape(Dimension.INSTALLER, Dimension.FILE_TYPE)).name())
                .isEqualTo("pypi_downloads_per_day_by_version_by_installer_by_type_by_country");
        // Installer alone may still use the smaller table: installer is in its key.
        assertThat(ATTACHED.choose(shape(Dimension.INSTALLER)).name()).isEqualTo("pypi_downloads_per_day_by_version_by_installer_by_type");
    }

    @Test
    void aCiFilterOnAWarehouseWithoutCiIsRefusedNamingWhatIsMissing() {
        assertThatThrownBy(() -> ATTACHED.choose(shape(Dimension.CI)))
                .isInstanceOf(Catalog.NotCovered.class)
                .hasMessageContaining("keeps no downloads by CI")
                .hasMessageContaining("never scanned");
    }

    @Test
    void aCombinationNoTableKeepsTogetherIsRefusedInsteadOfScanningTheRawTable() {
        // python_minor exists nowhere in this trimmed layout; system neither: both named.
        assertThatThrownBy(() -> ATTACHED.choose(shape(Dimension.PYTHON_MINOR, Dimension.SYSTEM)))
                .isInstanceOf(Catalog.NotCovered.class).hasMessageContaining("PYTHON_MINOR, SYSTEM");
        // Every dimension exists, but never together with the others.
        assertThatThrownBy(() -> ATTACHED.choose(shape(Dimension.COUNTRY, Dimension.INSTALLER, Dimension.FILE_TYPE, Dimension.VERSION,
                Dimension.PYTHON_MINOR)))
                .isInstanceOf(Catalog.NotCovered.class);
        assertThat(ATTACHED.choose(shape(Dimension.COUNTRY, Dimension.INSTALLER)).name())
                .isEqualTo("pypi_downloads_per_day_by_version_by_installer_by_type_by_country");
    }

    @Test
    void ownedWarehousesStillFallBackToTheRawTable() {
        Catalog owned = ATTACHED.withRawScans(true);
        assertThat(owned.choose(shape(Dimension.CI)).raw()).isTrue();
        assertThat(owned.dimensions(TimeKey.DAY)).contains(Dimension.PYTHON_MINOR);
    }

    @Test
    void capabilitiesFollowTheTables() {
        assertThat(ATTACHED.dimensions(TimeKey.DAY))
                .containsExactlyInAnyOrder(Dimension.VERSION, Dimension.COUNTRY, Dimension.INSTALLER, Dimension.FILE_TYPE);
        assertThat(ATTACHED.dimensions(TimeKey.NONE)).doesNotContain(Dimension.CI, Dimension.PYTHON_MINOR, Dimension.SYSTEM);
    }
}
