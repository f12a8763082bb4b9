package dev.pypianalytics.downloads;

import org.springframework.beans.factory.annotation.Qualifier;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects the {@code ClickHouse} port of the reference data (the questions a package page asks whatever its
 * filters: releases and metadata, first and last days): the API's read-only port under a cache of its own,
 * keyed by the data's version and kept even when the result cache is off ({@code pypi.api.reference-cache}).
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface ReferenceReads {
}
