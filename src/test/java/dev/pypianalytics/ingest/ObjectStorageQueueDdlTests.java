package dev.pypianalytics.ingest;

import dev.pypianalytics.config.FollowProperties;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The S3Queue statements (README, "ClickHouse's own queue"). They cannot run here (no S3, no Keeper), so the text
 * is checked: engine arguments and settings as the engine's documentation names them, the loader's input shape and
 * mapping, and values only as escaped literals.
 */
class ObjectStorageQueueDdlTests {

    static FollowProperties.ObjectStorageQueue queue(String path, String collection, String format, String mode, String keeper) {
        return new FollowProperties.ObjectStorageQueue(path, collection, format, mode, keeper, 5, 1, "pypi_s3queue");
    }

    @Test
    void aQueueTableOverTheBucketAndAViewIntoPypiRaw() {
        List<String> ddl = ObjectStorageQueueDdl.statements(queue("https://bucket.s3.amazonaws.com/pypi/*.parquet", null, null,
                "ordered", "/clickhouse/s3queue/pypi"));
        assertThat(ddl).hasSize(2);
        assertThat(ddl.get(0))
                .startsWith("CREATE TABLE IF NOT EXISTS pypi_s3queue (timestamp Nullable(DateTime64(6, 'UTC')), ")
                .contains(ExportShape.INPUT_STRUCTURE)
                .contains("ENGINE = S3Queue('https://bucket.s3.amazonaws.com/pypi/*.parquet', 'Parquet')")
                .contains("SETTINGS mode = 'ordered', after_processing = 'keep', keeper_path = '/clickhouse/s3queue/pypi', "
                        + "loading_retries = 5, processing_threads_num = 1, enable_logging_to_queue_log = 1")
                .contains("input_format_parquet_allow_missing_columns = 1").contains("date_time_input_format = 'best_effort'");
        assertThat(ddl.get(1))
                .startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS pypi_s3queue_mv TO pypi_raw AS\nSELECT ")
                .contains(ExportShape.MAPPING)
                .endsWith("FROM pypi_s3queue\nWHERE timestamp IS NOT NULL AND coalesce(project, file.project, '') != ''");
    }

    @Test
    void aNamedCollectionKeepsCredentialsOutAndCompressionAndFormatComeFromThePath() {
        List<String> ddl = ObjectStorageQueueDdl.statements(queue("https://b.s3.amazonaws.com/p/*.json.gz", "pypi_bucket", null,
                "unordered", null));
        assertThat(ddl.get(0))
                .contains("ENGINE = S3Queue(pypi_bucket, url = 'https://b.s3.amazonaws.com/p/*.json.gz', format = 'JSONEachRow', "
                        + "compression = 'gzip')")
                .contains("SETTINGS mode = 'unordered', after_processing = 'keep', loading_retries = 5")
                .doesNotContain("keeper_path");
    }

    @Test
    void valuesAreEscapedLiteralsAndNamesMustBeIdentifiers() {
        String ddl = ObjectStorageQueueDdl.statements(queue("https://b/x'); DROP TABLE pypi; --/*.parquet", null, "parquet",
                "ordered", "/k\\'x")).get(0);
        assertThat(ddl).contains("S3Queue('https://b/x\\'); DROP TABLE pypi; --/*.parquet', 'Parquet')")
                .contains("keeper_path = '/k\\\\\\'x'");
        assertThatThrownBy(() -> ObjectStorageQueueDdl.statements(queue("https://b/*.parquet", "x; DROP", null, "ordered", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain identifier");
        assertThat(ObjectStorageQueueDdl.dropStatements(queue("https://b/*.parquet", null, null, "ordered", null)))
                .containsExactly("DROP VIEW IF EXISTS pypi_s3queue_mv", "DROP TABLE IF EXISTS pypi_s3queue");
    }
}
