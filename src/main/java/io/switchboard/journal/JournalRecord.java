package io.switchboard.journal;

import io.switchboard.message.Replay;
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
  /** An item that settled before the restart (never on disk: how a replay marks an {@link #ITEM}). */
  public static final byte RESTORE = 3;
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

  /** The same record, known to have settled before the restart: replayed to rebuild state only. */
  JournalRecord asRestoreOnly() {
    return kind == ITEM ? new JournalRecord(seq, RESTORE, receivedAt, item) : this;
  }

  /** What replaying this record is for. */
  public Replay purpose() {
    return kind == RESTORE ? Replay.RESTORE_ONLY : Replay.DELIVER;
  }

  /** Whether it carries an item to replay (for delivery or to restore state). */
  public boolean isItem() {
    return kind == ITEM || kind == RESTORE;
  }
}
