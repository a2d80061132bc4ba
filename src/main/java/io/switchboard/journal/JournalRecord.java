package io.switchboard.journal;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;

/**
 * What one journal record holds: {@code [byte kind][long receivedAt][item bytes]}. Every sequence number a source
 * hands out has exactly one record, so that record offset and sequence number stay in step ({@code seq = offset + 1});
 * an item that never became an event (rejected, ignored) is a {@link #SETTLED} record with no bytes, skipped on
 * replay: its outcome was final before the source was answered.
 *
 * @param seq        the source's sequence number
 * @param kind       {@link #ITEM} or {@link #SETTLED}
 * @param receivedAt epoch ms when the source first received it
 * @param item       the item's exact bytes; empty for {@link #SETTLED}
 */
public record JournalRecord(long seq, byte kind, long receivedAt, Buffer item) {

  public static final byte ITEM = 1;
  public static final byte SETTLED = 2;
  private static final int HEADER = 1 + Long.BYTES;

  static byte[] item(Buffer item, long receivedAt) {
    byte[] bytes = new byte[HEADER + item.length()];
    ByteBuffer.wrap(bytes).put(ITEM).putLong(receivedAt);
    item.getBytes(bytes, HEADER);
    return bytes;
  }

  static byte[] settled(long receivedAt) {
    byte[] bytes = new byte[HEADER];
    ByteBuffer.wrap(bytes).put(SETTLED).putLong(receivedAt);
    return bytes;
  }

  static JournalRecord decode(long offset, byte[] bytes) {
    if (bytes.length < HEADER || (bytes[0] != ITEM && bytes[0] != SETTLED)) {
      throw new IllegalArgumentException("journal record " + offset + " is not one this version writes");
    }
    ByteBuffer header = ByteBuffer.wrap(bytes);
    return new JournalRecord(offset + 1, bytes[0], header.getLong(1),
        Buffer.buffer(bytes).slice(HEADER, bytes.length));
  }

  /** The same record, known to have settled: replay skips it. */
  JournalRecord asSettled() {
    return new JournalRecord(seq, SETTLED, receivedAt, Buffer.buffer());
  }

  public boolean isItem() {
    return kind == ITEM;
  }
}
