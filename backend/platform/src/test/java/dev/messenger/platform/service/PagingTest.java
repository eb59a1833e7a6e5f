package dev.messenger.platform.service;

import dev.messenger.platform.errors.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PagingTest {
    @Test
    void zeroMeansTheDefaultAndTheBoundsAreInclusive() {
        assertEquals(50, Paging.limit(0, 50, Paging.MAX_PAGE));
        assertEquals(1, Paging.limit(1, 50, Paging.MAX_PAGE));
        assertEquals(100, Paging.limit(100, 50, Paging.MAX_PAGE));
        assertEquals(500, Paging.limit(500, 100, 500));
    }

    @Test
    void anythingElseIsRefusedWithTheRange() {
        assertEquals("limit must be between 1 and 100",
                assertThrows(ApiException.class, () -> Paging.limit(101, 50, Paging.MAX_PAGE)).getMessage());
        assertThrows(ApiException.class, () -> Paging.limit(-1, 50, Paging.MAX_PAGE));
        assertThrows(ApiException.class, () -> Paging.limit(Long.MAX_VALUE, 50, Paging.MAX_PAGE));
        assertEquals("limit must be between 1 and 500",
                assertThrows(ApiException.class, () -> Paging.limit(501, 100, 500)).getMessage());
    }
}
