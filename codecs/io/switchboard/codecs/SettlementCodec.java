package io.switchboard.codecs;

import io.switchboard.message.Settlement;
import io.vertx.core.buffer.Buffer;

/** Codec of {@link Settlement}. */
public final class SettlementCodec extends SwitchboardCodec<Settlement> {

  public static final String NAME = "switchboard.settlement.v1";

  public SettlementCodec() {
    super(NAME, (byte) 1);
  }

  @Override
  void encodeFields(Buffer out, Settlement s) {
    out.appendLong(s.seq());
    out.appendInt(s.parts());
    Wire.writeString(out, s.outcome().name());
  }

  @Override
  Settlement decodeFields(Wire.Reader in) {
    long seq = in.readLong();
    int parts = in.readInt();
    return new Settlement(seq, parts, Settlement.Outcome.valueOf(in.readString()));
  }
}
