package io.switchboard.codecs;

import io.switchboard.message.DedupVerdict;
import io.vertx.core.buffer.Buffer;

/** Codec of {@link DedupVerdict}, the dedup stage's reply to ingest. */
public final class DedupVerdictCodec extends SwitchboardCodec<DedupVerdict> {

  public static final String NAME = "switchboard.dedup-verdict.v1";

  public DedupVerdictCodec() {
    super(NAME, (byte) 1);
  }

  @Override
  void encodeFields(Buffer out, DedupVerdict v) {
    Wire.writeString(out, v.name());
  }

  @Override
  DedupVerdict decodeFields(Wire.Reader in) {
    return DedupVerdict.valueOf(in.readString());
  }
}
