package dev.messenger.platform.service;

import dev.messenger.platform.errors.ApiException;

/** The one rule for a requested page size, on every paged call of every service. */
public final class Paging {
    /** The largest page of the paged list calls. */
    public static final int MAX_PAGE = 100;

    private Paging() {
    }

    /** 0 means the default; 1 to {@code max} is taken as given; anything else is INVALID_ARGUMENT. */
    public static int limit(long requested, int defaultSize, int max) {
        if (requested == 0) {
            return defaultSize;
        }
        if (requested < 0 || requested > max) {
            throw ApiException.invalid("limit must be between 1 and " + max);
        }
        return (int) requested;
    }
}
