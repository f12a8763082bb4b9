package dev.pypianalytics.api;

import graphql.ErrorClassification;

/** Error classifications of our own, besides Spring's {@code ErrorType} (BAD_REQUEST, NOT_FOUND, INTERNAL_ERROR, ...). */
public enum ApiErrorType implements ErrorClassification {
    /** The warehouse cannot answer right now (restarting, unreachable): retry after {@code Retry-After} seconds. */
    UNAVAILABLE,
    /** The request took longer than the gateway allows and was stopped. */
    TIMEOUT
}
