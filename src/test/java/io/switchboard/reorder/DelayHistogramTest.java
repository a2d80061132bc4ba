package io.switchboard.reorder;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DelayHistogramTest {

  @Test
  void verifiesThatEveryDelayLiesInABucketWhoseUpperEdgeIsAtMostAnEighthAbove() {
    long previousEdge = -1;
    for (int bucket = 0; bucket < DelayHistogram.BUCKETS; bucket++) {
      long edge = DelayHistogram.upperEdge(bucket);
      assertTrue(edge > previousEdge, "edges increase");
      assertEquals(bucket, DelayHistogram.bucket(edge), "an edge is in its own bucket");
      assertEquals(bucket, DelayHistogram.bucket(previousEdge + 1), "buckets leave no gap");
      previousEdge = edge;
    }
    for (long d = 0; d < 2_000_000; d += 1 + d / 50) {
      long edge = DelayHistogram.upperEdge(DelayHistogram.bucket(d));
      long delay = d;
      assertTrue(edge >= d && edge <= d + Math.max(0, d / 8), () -> delay + " -> " + edge);
    }
    assertEquals(DelayHistogram.BUCKETS - 1, DelayHistogram.bucket(Long.MAX_VALUE));
    assertEquals(0, DelayHistogram.bucket(-5), "a negative delay (clock skew) counts as none");
  }

  @Test
  void verifiesThatAQuantileIsNeverBelowTheTrueOneNorFarAbove() {
    SplittableRandom random = new SplittableRandom(7);
    long[] delays = LongStream.generate(() -> random.nextLong(1, 5_000)).limit(10_000).sorted().toArray();
    DelayHistogram histogram = new DelayHistogram();
    for (long d : delays) {
      histogram.add(d);
    }
    for (double q : new double[] {0.5, 0.9, 0.99, 0.999, 1.0}) {
      long truth = delays[(int) Math.ceil(q * delays.length) - 1];
      long answer = histogram.quantile(q);
      assertTrue(answer >= truth && answer <= truth * 1.125, () -> q + ": " + answer + " vs " + truth);
    }
    assertEquals(-1, new DelayHistogram().quantile(0.99), "empty");
  }

  @Test
  void verifiesThatMergingAndClearingKeepCounts() {
    DelayHistogram a = new DelayHistogram();
    DelayHistogram b = new DelayHistogram();
    a.add(3);
    b.add(300);
    b.add(300);
    a.addAll(b);
    assertEquals(3, a.total());
    assertEquals(3, a.quantile(0.3));
    assertEquals(DelayHistogram.upperEdge(DelayHistogram.bucket(300)), a.quantile(0.5));
    a.clear();
    assertEquals(0, a.total());
    assertEquals(-1, a.quantile(1.0));
  }
}
