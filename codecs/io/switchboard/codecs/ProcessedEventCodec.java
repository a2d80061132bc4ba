package io.switchboard.codecs;

import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.vertx.core.buffer.Buffer;

/** Codec of {@link ProcessedEvent}: the event's own wire form, then the state fields and snapshot. */
public final class ProcessedEventCodec extends SwitchboardCodec<ProcessedEvent> {

  public static final String NAME = "switchboard.processed-event.v1";

  private final PipelineEventCodec events = new PipelineEventCodec();

  public ProcessedEventCodec() {
    super(NAME, (byte) 1);
  }

  @Override
  void encodeFields(Buffer out, ProcessedEvent p) {
    Buffer event = Buffer.buffer();
    events.encodeToWire(event, p.event());
    Wire.writeBuffer(out, event);
    Wire.writeString(out, p.state());
    out.appendInt(p.stage());
    Wire.writeBuffer(out, p.snapshot());
    out.appendLong(p.processedAt());
  }

  @Override
  ProcessedEvent decodeFields(Wire.Reader in) {
    Buffer eventBytes = in.readBuffer();
    PipelineEvent event = events.decodeFromWire(0, eventBytes);
    String state = in.readString();
    int stage = in.readInt();
    Buffer snapshot = in.readBuffer();
    return new ProcessedEvent(event, state, stage, snapshot, in.readLong());
  }
}
