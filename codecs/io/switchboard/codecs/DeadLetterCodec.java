package io.switchboard.codecs;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;

import static io.switchboard.codecs.Wire.writeString;

/** Codec of {@link DeadLetter}; enums travel by name so that reordering constants never corrupts them. */
public final class DeadLetterCodec extends SwitchboardCodec<DeadLetter> {

  public static final String NAME = "switchboard.dead-letter.v1";

  public DeadLetterCodec() {
    super(NAME, (byte) 1);
  }

  @Override
  void encodeFields(Buffer out, DeadLetter d) {
    TicketWire.write(out, d.ticket());
    writeString(out, d.stage().name());
    writeString(out, d.reason().name());
    writeString(out, d.error());
    writeString(out, d.target());
    writeString(out, d.eventId());
    writeString(out, d.conversationId());
    out.appendInt(d.attempts());
    out.appendLong(d.firstAttemptAt());
    out.appendLong(d.lastAttemptAt());
    out.appendLong(d.createdAt());
    Wire.writeBuffer(out, d.payload());
  }

  @Override
  DeadLetter decodeFields(Wire.Reader in) {
    Ticket ticket = TicketWire.read(in);
    DeadLetter.Stage stage = DeadLetter.Stage.valueOf(in.readString());
    DeadLetter.Reason reason = DeadLetter.Reason.valueOf(in.readString());
    String error = in.readString();
    String target = in.readString();
    String eventId = in.readString();
    String conversationId = in.readString();
    int attempts = in.readInt();
    long first = in.readLong();
    long last = in.readLong();
    long created = in.readLong();
    return new DeadLetter(ticket, stage, reason, error, target, eventId, conversationId, attempts, first, last,
        created, in.readBuffer());
  }
}
