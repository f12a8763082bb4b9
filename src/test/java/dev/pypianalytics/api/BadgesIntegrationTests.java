package dev.pypianalytics.api;

import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;
import dev.pypianalytics.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Badges of the demo warehouse against counts over the raw table. */
class BadgesIntegrationTests extends IntegrationTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    @Autowired
    ClickHouse admin;

    private long raw(String condition) {
        return admin.queryOne(Sql.of("SELECT count() AS n FROM pypi WHERE project = 'boto3' AND " + condition), row -> row.getLong("n")).block();
    }

    private Map<String, Object> shields(String query) {
        return web.get().uri("/badge/boto3.json" + query).exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=3600, public")
                .expectBody(JSON).returnResult().getResponseBody();
    }

    @Test
    void shieldsEndpointJsonCarriesTheFigures() {
        long total = raw("1");
        assertThat(shields("")).containsEntry("schemaVersion", 1).containsEntry("label", "downloads")
                .containsEntry("message", Badges.compact(total)).containsEntry("color", "blue");
        long lastMonth = raw("date > (SELECT max(date) FROM pypi) - 30");
        assertThat(shields("?period=month")).containsEntry("message", Badges.compact(lastMonth) + "/month");
        long lastWeekWithoutCi = raw("date > (SELECT max(date) FROM pypi) - 7 AND ci != 'true'");
        assertThat(lastWeekWithoutCi).isLessThan(raw("date > (SELECT max(date) FROM pypi) - 7"));
        assertThat(shields("?period=week&ci=exclude&label=installs"))
                .containsEntry("message", Badges.compact(lastWeekWithoutCi) + "/week").containsEntry("label", "installs");
    }

    @Test
    void theSvgBadgeSaysTheSameAndRevalidates() throws Exception {
        var result = web.get().uri("/badge/Boto3.svg?period=month").exchange().expectStatus().isOk()
                .expectHeader().contentType("image/svg+xml;charset=utf-8")
                .expectBody(String.class).returnResult();
        var svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(result.getResponseBody().getBytes(StandardCharsets.UTF_8)));
        assertThat(svg.getElementsByTagName("title").item(0).getTextContent())
                .isEqualTo("downloads: " + Badges.compact(raw("date > (SELECT max(date) FROM pypi) - 30")) + "/month");
        String etag = result.getResponseHeaders().getETag();
        web.get().uri("/badge/Boto3.svg?period=month").header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectStatus().isNotModified();
    }

    @Test
    void unknownProjectsAndBadParametersAreSaidOnTheBadge() {
        web.get().uri("/badge/no-such-project-anywhere.json").exchange().expectStatus().isNotFound()
                .expectBody(JSON).value(body -> assertThat(body).containsEntry("message", "not found").containsEntry("isError", true));
        web.get().uri("/badge/boto3.json?period=year").exchange().expectStatus().isBadRequest()
                .expectBody(JSON).value(body -> assertThat(String.valueOf(body.get("message"))).contains("period must be one of"));
        web.get().uri("/badge/boto3.svg?ci=only").exchange().expectStatus().isBadRequest()
                .expectBody(String.class).value(body -> assertThat(body).contains("ci must be all or exclude"));
        web.get().uri("/badge/boto3.png").exchange().expectStatus().isNotFound();
    }
}
