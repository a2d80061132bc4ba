package io.switchboard.codecs;

import io.switchboard.message.DedupVerdict;
import io.switchboard.message.Verdict;
import io.vertx.core.buffer.Buffer;

/** Codec of {@link Verdict}: the sequence number, then the verdict by name. */
public final class VerdictCodec extends SwitchboardCodec<Verdict> {

  public static final String NAME = "switchboard.verdict.v1";

  public VerdictCodec() {
    super(NAME, (byte) 1);
  }

  @Override
  void encodeFields(Buffer out, Verdict v) {
    out.appendLong(v.seq());
    Wire.writeString(out, v.verdict().name());
  }

  @Override
  Verdict decodeFields(Wire.Reader in) {
    long seq = in.readLong();
    return new Verdict(seq, DedupVerdict.valueOf(in.readString()));
  }
}
