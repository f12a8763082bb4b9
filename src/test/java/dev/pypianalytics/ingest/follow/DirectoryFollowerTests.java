package dev.pypianalytics.ingest.follow;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which names in a followed folder are read: exports only, never hidden or temporary files. */
class DirectoryFollowerTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            2026-03-01.parquet,             true
            2026-03-01.PARQUET,             true
            2026-03-01.ndjson,              true
            2026-03-01.jsonl.gz,            true
            2026-03-01.json.zst,            true
            part-000[1].parquet,            true
            2026-03-01.parquet.tmp,         false
            2026-03-01.parquet.partial,     false
            2026-03-01.parquet.part,        false
            2026-03-01.ndjson.crdownload,   false
            2026-03-01.parquet~,            false
            .2026-03-01.parquet,            false
            2026-03-01.csv,                 false
            README.txt,                     false
            2026-03-01,                     false
            """)
    void onlyExportNamesThatAreNeitherHiddenNorTemporaryAreRead(String name, boolean read) {
        assertThat(DirectoryFollower.candidateName(name)).isEqualTo(read);
    }
}
