package dev.pypianalytics.api;

import graphql.ErrorClassification;

/** Error classifications of our own, besides Spring's {@code ErrorType} (BAD_REQUEST, NOT_FOUND, INTERNAL_ERROR, ...). */
public enum ApiErrorType implements ErrorClassification {
    /** The warehouse cannot answer right now (restarting, unreachable): retry after {@code Retry-After} seconds. */
    UNAVAILABLE,
    /** The request took longer than the gateway allows and was stopped. */
    TIMEOUT,
    /**
     * The warehouse refused for now: a quota of its user is used up, or its concurrency limit reached (a shared
     * instance's limits): retry after {@code Retry-After} seconds.
     */
    QUOTA_EXCEEDED,
    /**
     * The gateway is answering as many requests as the warehouse can serve and as many more are waiting
     * ({@code pypi.api.admission}): retry after {@code Retry-After} seconds.
     */
    BUSY
}
