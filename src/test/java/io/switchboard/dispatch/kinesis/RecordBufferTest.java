package io.switchboard.dispatch.kinesis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordBufferTest {

  /** Records are their own sizes. */
  private static RecordBuffer<Integer> buffer(int maxBatch, long maxRequestBytes) {
    return new RecordBuffer<>(maxBatch, maxRequestBytes, Integer::intValue);
  }

  @Test
  void verifiesThatRequestsTakeRecordsInArrivalOrderUpToMaxBatch() {
    RecordBuffer<Integer> buffer = buffer(3, 1000);
    List.of(1, 2, 3, 4, 5, 6, 7).forEach(buffer::add);
    assertTrue(buffer.hasFullRequest());
    assertEquals(List.of(1, 2, 3), buffer.nextRequest());
    assertEquals(List.of(4, 5, 6), buffer.nextRequest());
    assertFalse(buffer.hasFullRequest(), "one record could still be joined by two more");
    assertEquals(List.of(7), buffer.nextRequest());
    assertTrue(buffer.isEmpty());
    assertEquals(List.of(), buffer.nextRequest());
  }

  @Test
  void verifiesThatRequestsStayWithinTheByteLimitAndARecordOfExactlyTheLimitGoesAlone() {
    RecordBuffer<Integer> buffer = buffer(500, 100);
    List.of(40, 50, 20, 100, 30).forEach(buffer::add);
    assertTrue(buffer.hasFullRequest(), "240 bytes wait for requests of 100");
    assertEquals(List.of(40, 50), buffer.nextRequest());
    assertEquals(List.of(20), buffer.nextRequest(), "FIFO: the 100 does not fit beside the 20, nothing overtakes it");
    assertEquals(List.of(100), buffer.nextRequest());
    assertEquals(List.of(30), buffer.nextRequest());
  }

  @Test
  void verifiesThatARecordLargerThanARequestIsRefusedAndDrainEmptiesTheBuffer() {
    RecordBuffer<Integer> buffer = buffer(10, 100);
    assertThrows(IllegalArgumentException.class, () -> buffer.add(101));
    buffer.add(10);
    buffer.add(20);
    assertEquals(2, buffer.size());
    assertEquals(List.of(10, 20), buffer.drain());
    assertTrue(buffer.isEmpty());
    assertFalse(buffer.hasFullRequest());
  }
}
