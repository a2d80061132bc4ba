package io.switchboard.codecs;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Violation;
import io.vertx.core.buffer.Buffer;

/**
 * Codec of {@link ProcessedEvent}: the event's own wire form, then the state fields and snapshot, then (since
 * version 2) the violation as its reason's name and error, both {@code null} when there is none, then (since
 * version 3) the matched pattern and the settlement parts. Versions 1 and 2 are still read, as events without a
 * violation, match or parts: park logs keep those forms across an upgrade.
 */
public final class ProcessedEventCodec extends SwitchboardCodec<ProcessedEvent> {

  /** Unchanged by version 2: the version byte tells the forms apart, and an older node then names the mismatch. */
  public static final String NAME = "switchboard.processed-event.v1";

  private static final byte VERSION = 3;

  private final PipelineEventCodec events = new PipelineEventCodec();

  public ProcessedEventCodec() {
    super(NAME, VERSION, (byte) 1);
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
    Violation violation = p.violation();
    // Enums travel by name, as in dead letters, so that reordering constants never corrupts them.
    Wire.writeString(out, violation == null ? null : violation.reason().name());
    Wire.writeString(out, violation == null ? null : violation.error());
    Wire.writeString(out, p.matched());
    out.appendInt(p.parts());
  }

  @Override
  ProcessedEvent decodeFields(Wire.Reader in) {
    return decodeFields(in, VERSION);
  }

  @Override
  ProcessedEvent decodeFields(Wire.Reader in, byte version) {
    Buffer eventBytes = in.readBuffer();
    PipelineEvent event = events.decodeFromWire(0, eventBytes);
    String state = in.readString();
    int stage = in.readInt();
    Buffer snapshot = in.readBuffer();
    long processedAt = in.readLong();
    Violation violation = null;
    if (version >= 2) {
      String reason = in.readString();
      String error = in.readString();
      violation = reason == null ? null : new Violation(DeadLetter.Reason.valueOf(reason), error);
    }
    String matched = null;
    int parts = 0;
    if (version >= 3) {
      matched = in.readString();
      parts = in.readInt();
    }
    return new ProcessedEvent(event, state, stage, snapshot, processedAt, violation, matched, parts);
  }
}
