package io.switchboard.codecs;

import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Replay;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;

import static io.switchboard.codecs.Wire.writeBuffer;
import static io.switchboard.codecs.Wire.writeString;

/** Codec of {@link PipelineEvent}. The parsed eventBody is not sent: it is re-derived from the payload. */
public final class PipelineEventCodec extends SwitchboardCodec<PipelineEvent> {

  public static final String NAME = "switchboard.pipeline-event.v1";
  private static final Replay[] REPLAYS = {Replay.NONE, Replay.DELIVER, Replay.RESTORE_ONLY, Replay.NONE};

  public PipelineEventCodec() {
    super(NAME, (byte) 1);
  }

  @Override
  void encodeFields(Buffer out, PipelineEvent e) {
    TicketWire.write(out, e.ticket());
    writeString(out, e.source());
    writeString(out, e.eventId());
    writeString(out, e.fingerprint());
    writeString(out, e.conversationId());
    writeString(out, e.eventType());
    writeString(out, e.topicName());
    out.appendLong(e.eventTime());
    out.appendLong(e.ingestedAt());
    writeString(out, e.mediaType());
    writeString(out, e.participantId());
    writeString(out, e.sessionId());
    writeString(out, e.queueId());
    writeString(out, e.userId());
    // One flags byte: bit 0 late (all the first version had), bits 1-2 the replay (Replay's ordinal).
    out.appendByte((byte) ((e.late() ? 1 : 0) | e.replay().ordinal() << 1));
    writeBuffer(out, e.payload());
  }

  @Override
  PipelineEvent decodeFields(Wire.Reader in) {
    Ticket ticket = TicketWire.read(in);
    String source = in.readString();
    String eventId = in.readString();
    String fingerprint = in.readString();
    String conversationId = in.readString();
    String eventType = in.readString();
    String topicName = in.readString();
    long eventTime = in.readLong();
    long ingestedAt = in.readLong();
    String mediaType = in.readString();
    String participantId = in.readString();
    String sessionId = in.readString();
    String queueId = in.readString();
    String userId = in.readString();
    byte flags = in.readByte();
    Buffer payload = in.readBuffer();
    return new PipelineEvent(ticket, source, eventId, fingerprint, conversationId, eventType, topicName,
        eventTime, ingestedAt, mediaType, participantId, sessionId, queueId, userId, (flags & 1) != 0,
        EventBodies.fromPayload(payload), payload, REPLAYS[(flags >> 1) & 3]);
  }
}
