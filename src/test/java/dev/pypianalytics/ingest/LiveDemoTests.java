package dev.pypianalytics.ingest;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the live demo resumes: the end of the range a file of its own names; other names say nothing. */
class LiveDemoTests {

    @Test
    void theEndOfAFilesRangeIsReadFromItsName() {
        assertThat(LiveDemo.end("pypi-live-20260401T000000Z-20260402T000000Z.json.gz")).isEqualTo(Instant.parse("2026-04-02T00:00:00Z"));
        assertThat(LiveDemo.end("pypi-live-20261205T000000Z-20261205T075542Z.json.gz")).isEqualTo(Instant.parse("2026-12-05T07:55:42Z"));
    }

    @Test
    void otherNamesAreNotTheGenerators() {
        assertThat(LiveDemo.end("2026-04-01.parquet")).isNull();
        assertThat(LiveDemo.end(".pypi-live-20260401T000000Z-20260402T000000Z.json.gz.tmp")).isNull();
        assertThat(LiveDemo.end("pypi-live-20260401T000000Z-20260402T000000Z.parquet")).isNull();
    }
}
