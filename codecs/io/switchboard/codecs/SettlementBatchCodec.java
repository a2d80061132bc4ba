package io.switchboard.codecs;

import io.switchboard.message.Settlement;
import io.switchboard.message.SettlementBatch;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** Codec of {@link SettlementBatch}: the count, then each settlement as {@link SettlementCodec} writes its fields. */
public final class SettlementBatchCodec extends SwitchboardCodec<SettlementBatch> {

  public static final String NAME = "switchboard.settlement-batch.v1";

  public SettlementBatchCodec() {
    super(NAME, (byte) 1);
  }

  @Override
  void encodeFields(Buffer out, SettlementBatch batch) {
    out.appendInt(batch.settlements().size());
    for (Settlement s : batch.settlements()) {
      out.appendLong(s.seq());
      out.appendInt(s.parts());
      // By name, as everywhere on the wire, so that reordering the enum never corrupts it.
      Wire.writeString(out, s.outcome().name());
    }
  }

  @Override
  SettlementBatch decodeFields(Wire.Reader in) {
    int count = in.readInt();
    List<Settlement> settlements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long seq = in.readLong();
      int parts = in.readInt();
      settlements.add(new Settlement(seq, parts, Settlement.Outcome.valueOf(in.readString())));
    }
    return new SettlementBatch(settlements);
  }
}
