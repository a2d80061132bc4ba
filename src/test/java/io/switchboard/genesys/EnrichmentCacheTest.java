package io.switchboard.genesys;

import io.switchboard.genesys.EnrichmentCache.Start;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Verifies when enrichment fetches, what it keeps, and how its section of a shard snapshot reads and writes. */
class EnrichmentCacheTest {

  private static final byte[] SUMMARY = "{\"queueIds\":[\"q\"]}".getBytes(StandardCharsets.UTF_8);

  private static EnrichmentCache first() {
    return new EnrichmentCache(Set.of(), 600_000, 100, 3, 4);
  }

  @Test
  void verifiesThatWithFirstAConversationIsFetchedOnceAndRetriedAfterAFailureUpToMaxAttempts() {
    EnrichmentCache cache = first();
    assertEquals(Start.FETCH, cache.begin("a", "customer.start", 0));
    assertEquals(Start.PENDING, cache.begin("a", "flow.start", 1), "no second fetch while one runs");
    cache.fetched("a", SUMMARY, 2);
    assertEquals(Start.NOT_TRIGGER, cache.begin("a", "acd.start", 10_000_000), "once, however old");
    assertArrayEquals(SUMMARY, cache.summary("a"));

    for (int attempt = 1; attempt <= 3; attempt++) {
      assertEquals(Start.FETCH, cache.begin("b", "flow.start", attempt), "attempt " + attempt);
      cache.failed("b");
    }
    assertEquals(Start.NOT_TRIGGER, cache.begin("b", "acd.start", 9), "given up after maxAttempts failures");
    assertNull(cache.summary("b"));
    assertEquals(0, cache.inFlight());
  }

  @Test
  void verifiesThatListedTypesRefetchOnlyOnceTheSummaryIsOlderThanTheCacheTime() {
    EnrichmentCache cache = new EnrichmentCache(Set.of("acd.start", "customer.end"), 1_000, 100, 2, 4);
    assertEquals(Start.NOT_TRIGGER, cache.begin("a", "customer.start", 0));
    assertEquals(Start.FETCH, cache.begin("a", "acd.start", 0));
    cache.fetched("a", SUMMARY, 100);
    assertEquals(Start.CACHED, cache.begin("a", "customer.end", 1_099));
    assertEquals(Start.FETCH, cache.begin("a", "customer.end", 1_100));
    cache.failed("a");
    assertArrayEquals(SUMMARY, cache.summary("a"), "a failed refresh keeps the summary");
    assertEquals(Start.FETCH, cache.begin("a", "customer.end", 1_200));
    cache.failed("a");
    assertEquals(Start.GIVEN_UP, cache.begin("a", "customer.end", 1_300));
  }

  @Test
  void verifiesThatAShardRunsAtMostMaxInFlightFetches() {
    EnrichmentCache cache = new EnrichmentCache(Set.of(), 0, 100, 3, 2);
    assertEquals(Start.FETCH, cache.begin("a", "x", 0));
    assertEquals(Start.FETCH, cache.begin("b", "x", 0));
    assertEquals(Start.SATURATED, cache.begin("c", "x", 0));
    cache.failed("a");
    assertEquals(Start.FETCH, cache.begin("c", "x", 0));
    assertEquals(2, cache.inFlight());
  }

  @Test
  void verifiesThatTheLeastRecentlyFetchedGoBeyondMaxCachedAndTheSweepFollowsTheStore() {
    EnrichmentCache cache = new EnrichmentCache(Set.of(), 0, 2, 3, 10);
    for (String id : new String[] {"a", "b", "c"}) {
      cache.begin(id, "x", 0);
      cache.fetched(id, SUMMARY, 0);
    }
    assertNull(cache.summary("a"));
    assertEquals(2, cache.size());
    cache.begin("d", "x", 0);
    cache.retainAll(id -> id.equals("c"));
    assertEquals(2, cache.size(), "c is kept, d is being fetched");
    assertNull(cache.summary("b"));
  }

  @Test
  void verifiesThatSummariesSurviveTheSnapshotAndAnOldSnapshotWithoutThemReadsEmpty() throws IOException {
    EnrichmentCache cache = first();
    cache.begin("a", "x", 0);
    cache.fetched("a", SUMMARY, 42);
    cache.begin("b", "x", 0);
    cache.failed("b");
    cache.begin("c", "x", 0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    cache.writeTo(new DataOutputStream(bytes));

    EnrichmentCache restored = first();
    restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(1, restored.size(), "only summaries are written");
    assertArrayEquals(SUMMARY, restored.summary("a"));
    assertEquals(Start.NOT_TRIGGER, restored.begin("a", "x", 0));
    assertEquals(Start.FETCH, restored.begin("c", "x", 0), "a fetch in flight at the snapshot is started again");

    EnrichmentCache old = first();
    old.readFrom(new DataInputStream(new ByteArrayInputStream(new byte[0])));
    assertEquals(0, old.size());
    assertThrows(IOException.class, () -> first().readFrom(new DataInputStream(new ByteArrayInputStream(
        new byte[] {1, 2, 3, 4}))));
    byte[] truncated = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 3);
    assertThrows(IOException.class, () -> first().readFrom(new DataInputStream(new ByteArrayInputStream(truncated))));

    EnrichmentCache small = new EnrichmentCache(Set.of(), 0, 1, 3, 4);
    EnrichmentCache two = first();
    two.begin("a", "x", 0);
    two.fetched("a", SUMMARY, 1);
    two.begin("b", "x", 0);
    two.fetched("b", SUMMARY, 2);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    two.writeTo(new DataOutputStream(both));
    small.readFrom(new DataInputStream(new ByteArrayInputStream(both.toByteArray())));
    assertNull(small.summary("a"), "beyond maxCached the oldest are skipped");
    assertArrayEquals(SUMMARY, small.summary("b"));
  }
}
