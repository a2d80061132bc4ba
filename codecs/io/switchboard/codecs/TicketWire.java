package io.switchboard.codecs;

import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;

/** Wire form of a {@link Ticket}, embedded in the messages that carry one. */
final class TicketWire {

  private TicketWire() {
  }

  static void write(Buffer out, Ticket ticket) {
    Wire.writeString(out, ticket.origin());
    out.appendLong(ticket.seq());
  }

  static Ticket read(Wire.Reader in) {
    String origin = in.readString();
    return new Ticket(origin, in.readLong());
  }
}
