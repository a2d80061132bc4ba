package io.switchboard.codecs;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;

import static io.switchboard.codecs.Wire.writeString;

/**
 * Codec of {@link DeadLetter}; enums travel by name so that reordering constants never corrupts them. Version 2
 * appends {@code settleParts}. Version 1 is still read with the parts its writer settled: 1 for stages before
 * dispatch, none for dispatch (whose dispatcher settled its own part).
 */
public final class DeadLetterCodec extends SwitchboardCodec<DeadLetter> {

  /** Unchanged by version 2: the version byte tells the forms apart, and an older node then names the mismatch. */
  public static final String NAME = "switchboard.dead-letter.v1";

  private static final byte VERSION = 2;

  public DeadLetterCodec() {
    super(NAME, VERSION, (byte) 1);
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
    out.appendInt(d.settleParts());
  }

  @Override
  DeadLetter decodeFields(Wire.Reader in) {
    return decodeFields(in, VERSION);
  }

  @Override
  DeadLetter decodeFields(Wire.Reader in, byte version) {
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
    Buffer payload = in.readBuffer();
    int settleParts = version >= 2 ? in.readInt() : (stage == DeadLetter.Stage.DISPATCH ? 0 : 1);
    return new DeadLetter(ticket, stage, reason, error, target, eventId, conversationId, attempts, first, last,
        created, payload, settleParts);
  }
}
