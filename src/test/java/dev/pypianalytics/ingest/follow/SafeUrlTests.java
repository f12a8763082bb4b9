package dev.pypianalytics.ingest.follow;

import dev.pypianalytics.ingest.IngestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What of an http(s) source's URL may be shown (logs, errors, records, the ledger), and what is only sent. */
class SafeUrlTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            https://user:pw@host/x.parquet                          | https://host/x.parquet
            https://host/x.parquet?token=abc&day=2026-01-01         | https://host/x.parquet?token=***&day=2026-01-01
            https://h/x?X-Amz-Signature=s1&X-Amz-Credential=c&v=1   | https://h/x?X-Amz-Signature=***&X-Amz-Credential=***&v=1
            https://h/x?sig=s&sv=2024&api_key=k#part                | https://h/x?sig=***&sv=2024&api_key=***#part
            http://h:8080/a/b.json.gz                               | http://h:8080/a/b.json.gz
            """)
    void credentialsAndTokensAreMaskedWhereTheUrlIsShown(String url, String shown) {
        assertThat(SafeUrl.mask(url)).isEqualTo(shown);
        assertThat(SafeUrl.parse(url).shown()).isEqualTo(shown);
        assertThat(SafeUrl.parse(url).toString()).isEqualTo(shown);
    }

    @Test
    void userInformationBecomesAnAuthorizationHeaderAndLeavesTheRequestUrl() {
        SafeUrl url = SafeUrl.parse("https://reader:p%40ss@host:8443/exports/list?token=t");
        assertThat(url.request().toString()).isEqualTo("https://host:8443/exports/list?token=t");
        assertThat(url.authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString("reader:p@ss".getBytes(StandardCharsets.UTF_8)));
        assertThat(url.shown()).isEqualTo("https://host:8443/exports/list?token=***");
    }

    @Test
    void relativeManifestEntriesKeepTheManifestsCredentialsOnItsHostOnly() {
        SafeUrl manifest = SafeUrl.parse("https://reader:pw@host/exports/manifest?token=t");
        SafeUrl relative = SafeUrl.resolve(manifest, "2026-01-01.parquet");
        assertThat(relative.request().toString()).isEqualTo("https://host/exports/2026-01-01.parquet");
        assertThat(relative.authorization()).isEqualTo(manifest.authorization());
        assertThat(relative.fileName()).isEqualTo("2026-01-01.parquet");
        SafeUrl elsewhere = SafeUrl.resolve(manifest, "https://cdn.example/x.parquet?sig=abc");
        assertThat(elsewhere.authorization()).isNull();
        assertThat(elsewhere.shown()).isEqualTo("https://cdn.example/x.parquet?sig=***");
    }

    @Test
    void aBadUrlIsRefusedWithoutRepeatingItsSecrets() {
        assertThatThrownBy(() -> SafeUrl.parse("ftp://user:secret@host/x.parquet?token=abc"))
                .isInstanceOf(IngestException.class).hasMessageContaining("ftp://host/x.parquet?token=***")
                .hasMessageNotContaining("secret").hasMessageNotContaining("abc");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            https://h/pypi-{date}-{n}.parquet            | 2026-03-04 | 7 | https://h/pypi-2026-03-04-7.parquet
            https://h/{date:yyyy/MM/dd}/part-{n:12}.parquet | 2026-03-04 | 7 | https://h/2026/03/04/part-000000000007.parquet
            https://h/day-{date:yyyyMMdd}.json.gz        | 2026-12-31 | 0 | https://h/day-20261231.json.gz
            """)
    void aDateTemplateIsFilledInForADayAndAnIndex(String template, String day, int n, String url) {
        assertThat(HttpSource.expand(template, LocalDate.parse(day), n)).isEqualTo(url);
    }

    @Test
    void aTemplateWithoutADateIsRefused() {
        assertThatThrownBy(() -> HttpSource.template("https://u:pw@h/pypi-{n}.parquet", null, java.time.Clock.systemUTC(),
                java.time.Duration.ofSeconds(1))).isInstanceOf(IngestException.class).hasMessageContaining("{date}")
                .hasMessageNotContaining("pw");
    }
}
