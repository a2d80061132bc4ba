package io.switchboard.codecs;

import io.switchboard.message.PipelineEvent;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of pipeline events as one buffer, in order: each is its wire form ({@link PipelineEventCodec}) after its
 * length. What a reorder shard holds travels this way when the shard is handed to another node.
 */
public final class EventBatches {

  private static final PipelineEventCodec CODEC = new PipelineEventCodec();

  private EventBatches() {
  }

  public static Buffer encode(List<PipelineEvent> events) {
    Buffer out = Buffer.buffer();
    out.appendInt(events.size());
    for (PipelineEvent event : events) {
      Buffer one = Buffer.buffer();
      CODEC.encodeToWire(one, event);
      out.appendInt(one.length()).appendBuffer(one);
    }
    return out;
  }

  /** @throws IllegalArgumentException when the buffer is not a batch */
  public static List<PipelineEvent> decode(Buffer in) {
    int count = in.getInt(0);
    if (count < 0) {
      throw new IllegalArgumentException("event batch claims " + count + " events");
    }
    List<PipelineEvent> events = new ArrayList<>(count);
    int pos = 4;
    for (int i = 0; i < count; i++) {
      int length = in.getInt(pos);
      pos += 4;
      events.add(CODEC.decodeFromWire(0, in.getBuffer(pos, pos + length)));
      pos += length;
    }
    return events;
  }
}
