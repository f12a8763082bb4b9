package dev.pypianalytics.clickhouse;

import org.springframework.beans.factory.annotation.Qualifier;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects the {@link ClickHouse} port of the API's queries: ClickHouse's HTTP interface as the read-only
 * API user ({@link HttpClickHouse}), every statement marked {@code readonly}, tagged with the request's
 * query id, answers kept by the result cache. The unqualified
 * port (migrations, ingestion, demo data, the CLI) uses the administrative credentials.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface ApiReads {
}
